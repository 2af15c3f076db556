import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { askMaster } from '../../../emulator/cli/control-client.ts';
import { socketPath } from '../../../emulator/run-paths.ts';
import { alive, cleanup, cli, listenSockets, trackGroup } from '../helpers/processes.ts';
import { BIN, startPushServer, type PushServerProcess } from '../../support/push-server-process.ts';
import { DeliveryAudit, type TrackedLine } from '../../../scripts/delivery-audit.ts';

afterAll(cleanup);

const CLIENTS = 30;
const LINES = 3;
// Bounds on each stretch of the stream: it stops at whichever comes first.
const MAX_PUSHES_PER_STRETCH = 1500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function children(server: PushServerProcess): Promise<number[]> {
  const control = socketPath(join(server.runDir, `pushport-${server.port}.sock`));
  const reply = await askMaster<{ children?: number[] }>(control, { cmd: 'ping' }, 2000).catch(() => ({ children: [] }));
  return reply.children ?? [];
}

/** A stream of pushes over LINES text connections, replacing any the server closes, at a steady pace. */
function stream(tracker: DeliveryAudit) {
  let running = true;
  let sent = 0;
  const lines: TrackedLine[] = Array.from({ length: LINES }, () => tracker.openLine());
  const done = (async () => {
    while (running && sent < 20_000) {
      for (let i = 0; i < lines.length; i++) {
        if (lines[i]!.closed) lines[i] = tracker.openLine();
        tracker.send(lines[i]!, CLIENTS);
        sent++;
      }
      await sleep(2);
    }
  })();
  /** Streams until `count` more pushes went out (bounded), then returns. */
  const more = async (count: number) => {
    const until = Math.min(sent + count, sent + MAX_PUSHES_PER_STRETCH);
    for (let i = 0; i < 5000 && sent < until; i++) await sleep(5);
  };
  const stop = async () => {
    running = false;
    await done;
  };
  return { more, stop };
}

/** After a fault: every client back, nothing answered `ok` left undelivered, every surviving line answered. */
async function settled(tracker: DeliveryAudit): Promise<void> {
  await expect.poll(() => tracker.ready()).toBe(CLIENTS);
  await expect.poll(() => tracker.undelivered().map((p) => p.id)).toEqual([]);
  await expect.poll(() => tracker.unanswered()).toBe(0);
}

describe('faults under a stream of pushes (count 2)', () => {
  it('survives a child SIGKILL, a reload and a master SIGKILL without a false ok or a lost reply', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    const tracker = new DeliveryAudit(server.wsUrl, server.textPort);
    tracker.connectClients(CLIENTS);
    await expect.poll(() => tracker.ready()).toBe(CLIENTS);
    // Clients are spread over both processes by the kernel.
    const status = await askMaster<{ status: { processes: Array<{ connections: number }> } }>(
      socketPath(join(server.runDir, `pushport-${server.port}.sock`)), { cmd: 'status' }, 2000);
    expect(status.status.processes.map((p) => p.connections > 0)).toEqual([true, true]);

    const pushes = stream(tracker);
    let last: number[] = [];
    try {
      // (a) A child dies mid-stream; the master replaces it.
      await pushes.more(300);
      const [victim] = await children(server);
      process.kill(victim!, 'SIGKILL');
      await expect.poll(async () => { const pids = await children(server); return pids.length === 2 && !pids.includes(victim!); }).toBe(true);
      await pushes.more(300);
      await settled(tracker);

      // (b) A reload replaces both children while pushes flow.
      const before = await children(server);
      const reload = server.command('reload');
      await pushes.more(300);
      expect((await reload).code).toBe(0);
      expect((await children(server)).some((pid) => before.includes(pid))).toBe(false);
      await pushes.more(300);
      await settled(tracker);

      // (c) The master dies: its children follow, and the ports come free.
      last = await children(server);
      await pushes.more(200);
      process.kill(server.masterPid, 'SIGKILL');
    } finally {
      await pushes.stop();
    }
    await expect.poll(() => last.filter(alive)).toEqual([]);
    await expect.poll(() => listenSockets(server.port) + listenSockets(server.textPort)).toBe(0);
    await expect.poll(() => tracker.undelivered().map((p) => p.id)).toEqual([]);
    expect(tracker.pushes.filter((p) => p.reply === 'ok').length).toBeGreaterThan(500);
    tracker.stop();

    // `start` works again on the same ports, over the stale pid file.
    const env = { PUSHPORT_RUN_DIR: server.runDir, PUSH_TOKEN: 't' };
    const again = await cli(BIN, ['start', '-d', '--count', '2', '--port', String(server.port), '--text-port', String(server.textPort)], env, 40_000);
    expect(again.code).toBe(0);
    const restarted = await children(server);
    const control = await askMaster<{ pid: number }>(socketPath(join(server.runDir, `pushport-${server.port}.sock`)), { cmd: 'ping' }, 2000);
    trackGroup(control.pid);
    expect(restarted).toHaveLength(2);
    const fresh = new DeliveryAudit(server.wsUrl, server.textPort);
    fresh.connectClients(1);
    await expect.poll(() => fresh.ready()).toBe(1);
    const line = fresh.openLine();
    fresh.send(line, 1);
    await expect.poll(() => fresh.pushes[0]?.reply).toBe('ok');
    fresh.stop();
    expect((await server.command('stop')).code).toBe(0);
  }, 60_000);
});
