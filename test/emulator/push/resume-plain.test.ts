import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { askMaster } from '../../../emulator/cli/control-client.ts';
import { socketPath } from '../../../emulator/run-paths.ts';
import { cleanup } from '../helpers/processes.ts';
import { expectEachOnceInOrder, PlainV1Client } from '../../support/plain-v1-client.ts';
import { startPushServer, type PushServerProcess } from '../../support/push-server-process.ts';

afterAll(cleanup);

const CLIENTS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Push = { n: number; uid: string; reply?: string };

async function children(server: PushServerProcess): Promise<number[]> {
  const control = socketPath(join(server.runDir, `pushport-${server.port}.sock`));
  const reply = await askMaster<{ children?: number[] }>(control, { cmd: 'ping' }, 2000).catch(() => ({ children: [] }));
  return reply.children ?? [];
}

/** One push with a ttl every 5 ms on a text connection, reopened when the server closes it; bounded in count. */
function pushStream(port: number) {
  const pushes: Push[] = [];
  let running = true;
  const open = () => {
    const line = { socket: connect(port, '127.0.0.1'), sent: [] as Push[], answered: 0, closed: false };
    let buffer = '';
    line.socket.setEncoding('utf8');
    line.socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
        const push = line.sent[line.answered++];
        if (push) push.reply = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
      }
    });
    line.socket.on('error', () => {});
    line.socket.on('close', () => (line.closed = true));
    return line;
  };
  let line = open();
  const done = (async () => {
    for (let i = 0; running && i < 6000; i++) {
      if (line.closed) line = open();
      const push: Push = { n: pushes.length, uid: `p${Math.floor(Math.random() * CLIENTS)}` };
      pushes.push(push);
      line.sent.push(push);
      line.socket.write(`{"uid":"${push.uid}","n":${push.n},"ttl":60}\n`);
      await sleep(5);
    }
  })();
  /** Waits until `count` more pushes went out (bounded by time). */
  const more = async (count: number) => {
    const until = pushes.length + count;
    for (let i = 0; i < 2000 && pushes.length < until; i++) await sleep(5);
  };
  const stop = async () => {
    running = false;
    await done;
    line.socket.end();
  };
  return { pushes, more, stop };
}

// What issue 17 asks of the server: a client that only tracks its highest seq and resumes with it, with no gap
// handling of its own, loses nothing and gets nothing twice or out of order.
describe('resume with no gaps, decided by the server (count 2, plain pushport.v1 clients)', () => {
  it('delivers every push answered ok or queued exactly once, in order, through a reload and a child SIGKILL', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    const clients = new Map(Array.from({ length: CLIENTS }, (_, i) => [`p${i}`, new PlainV1Client(server.wsUrl, `p${i}`)]));
    const stream = pushStream(server.textPort);
    try {
      await expect.poll(() => [...clients.values()].every((c) => c.open), { timeout: 10_000 }).toBe(true);
      await stream.more(150);

      const before = await children(server);
      expect((await server.command('reload')).code).toBe(0);
      await expect.poll(async () => (await children(server)).some((pid) => before.includes(pid)), { timeout: 10_000 }).toBe(false);
      await stream.more(150);

      const [victim] = await children(server);
      process.kill(victim!, 'SIGKILL');
      await expect.poll(async () => { const pids = await children(server); return pids.length === 2 && !pids.includes(victim!); }, { timeout: 10_000 }).toBe(true);
      await stream.more(150);
    } finally {
      await stream.stop();
    }
    const accepted = stream.pushes.filter((p) => p.reply === 'ok' || p.reply === 'queued');
    expect(accepted.length).toBeGreaterThan(300);
    await expectEachOnceInOrder(clients, accepted);
    for (const client of clients.values()) client.close();
    await server.stop();
  }, 90_000);
});
