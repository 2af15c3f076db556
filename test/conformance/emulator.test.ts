import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushportClient } from '../../src/index.ts';
import { cleanup } from '../emulator/helpers/processes.ts';
import { pidsByClientPort, type PushServerProcess } from '../support/push-server-process.ts';
import { startEmulatorTarget } from './emulator-target.ts';
import type { WsClient } from '../support/ws-client.ts';
import { wsClient } from './clients.ts';
import { clientCases } from './client-cases.ts';
import { httpCases } from './http-cases.ts';
import type { ConformanceTarget } from './target.ts';
import { textCases } from './text-cases.ts';
import { storedCases } from './stored-cases.ts';
import { storedLimitCases } from './stored-limit-cases.ts';
import { groupCases } from './group-cases.ts';

// The local push server, started from the real CLI with two processes, so every case also crosses the relay.
describe('conformance: emulator push server (count 2)', () => {
  let target: ConformanceTarget & { server: PushServerProcess };
  let server: PushServerProcess;
  beforeAll(async () => {
    target = await startEmulatorTarget(2);
    server = target.server;
  }, 60_000);
  afterAll(async () => {
    await target?.stop();
    cleanup();
  });

  httpCases(() => target, 'emulator');
  clientCases(() => target, 'emulator', { tabsPerProcess: true });
  textCases(() => target, 'emulator');
  storedCases(() => target, 'emulator', true);
  storedLimitCases(() => target, 'emulator', 2);
  groupCases(() => target, 'emulator', true);

  it('counts a uid held in both processes once per connection, through the SDK', async () => {
    const sdk = new PushportClient({ url: target.httpUrl, token: target.token });
    const tabs: WsClient[] = [];
    // The kernel spreads connections over the two processes: open tabs until both hold the uid (bounded). A tab
    // that would be a process's third is closed again, so no process reaches MAX_CONNECTIONS_PER_UID (3) and
    // closes the oldest tab itself.
    for (let i = 0; i < 24 && (await holderPids(server, tabs)).size < 2; i++) {
      const tab = await wsClient(target, 'emulator-split');
      const [pid] = await pidsOf(server, [tab]);
      if ((await pidsOf(server, tabs)).filter((p) => p === pid).length < 2) {
        tabs.push(tab);
        continue;
      }
      tab.ws.close();
      await expect.poll(() => sdk.online('emulator-split')).toBe(tabs.length);
    }
    const holders = await holderPids(server, tabs);
    expect(holders.has(0)).toBe(false);
    expect(holders.size).toBe(2);
    expect(await sdk.onlineMany(['emulator-split', 'emulator-split-none'])).toEqual({ 'emulator-split': tabs.length, 'emulator-split-none': 0 });
    expect(await sdk.online('emulator-split')).toBe(tabs.length);
    for (const t of tabs) t.ws.close();
    await expect.poll(() => sdk.onlineMany(['emulator-split'])).toEqual({ 'emulator-split': 0 });
  }, 30_000);
});

/** The pid of the process holding each client, matched by the client's port in `pushport connections` (0: none). */
async function pidsOf(server: PushServerProcess, clients: WsClient[]): Promise<number[]> {
  if (clients.length === 0) return [];
  const { output } = await server.command('connections');
  const pidOfPort = pidsByClientPort(output);
  return clients.map((c) => pidOfPort.get((c.ws as unknown as { _socket: { localPort: number } })._socket.localPort) ?? 0);
}

/** The pids of the processes holding the given clients. */
async function holderPids(server: PushServerProcess, clients: WsClient[]): Promise<Set<number>> {
  return new Set(await pidsOf(server, clients));
}
