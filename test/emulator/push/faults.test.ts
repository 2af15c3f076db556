import { afterAll, describe, expect, it } from 'vitest';
import { alive, cleanup, cli, listenSockets, trackGroup } from '../helpers/processes.ts';
import { BIN, startPushServer } from '../../support/push-server-process.ts';
import { DeliveryAudit } from '../../../scripts/delivery-audit.ts';
import { textStream } from '../../support/text-stream.ts';

afterAll(cleanup);

const CLIENTS = 30;

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
    const status = await server.ask<{ status: { processes: Array<{ connections: number }> } }>({ cmd: 'status' });
    expect(status.status.processes.map((p) => p.connections > 0)).toEqual([true, true]);

    const pushes = textStream(tracker, CLIENTS);
    let last: number[] = [];
    try {
      // (a) A child dies mid-stream; the master replaces it.
      await pushes.more(300);
      const [victim] = await server.children();
      process.kill(victim!, 'SIGKILL');
      await expect.poll(async () => { const pids = await server.children(); return pids.length === 2 && !pids.includes(victim!); }).toBe(true);
      await pushes.more(300);
      await settled(tracker);

      // (b) A reload replaces both children while pushes flow.
      const before = await server.children();
      expect(before).toHaveLength(2);
      const reload = server.command('reload');
      await pushes.more(300);
      expect((await reload).code).toBe(0);
      const after = await server.children();
      expect(after).toHaveLength(2);
      expect(after.filter((pid) => before.includes(pid))).toEqual([]);
      await pushes.more(300);
      await settled(tracker);

      // (c) The master dies: its children follow, and the ports come free.
      last = await server.children();
      expect(last).toHaveLength(2);
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
    const restarted = await server.children();
    const control = await server.ask<{ pid: number }>({ cmd: 'ping' });
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
