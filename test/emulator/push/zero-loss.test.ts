import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { askMaster } from '../../../emulator/cli/control-client.ts';
import { socketPath } from '../../../emulator/run-paths.ts';
import { PushportSocket, type WebSocketClass } from '../../../src/client/index.ts';
import { cleanup } from '../helpers/processes.ts';
import { startPushServer, type PushServerProcess } from '../../support/push-server-process.ts';

afterAll(cleanup);

const CLIENTS = 100;
const LINES = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Push = { n: number; uid: string; reply?: string };

async function children(server: PushServerProcess): Promise<number[]> {
  const control = socketPath(join(server.runDir, `pushport-${server.port}.sock`));
  const reply = await askMaster<{ children?: number[] }>(control, { cmd: 'ping' }, 2000).catch(() => ({ children: [] }));
  return reply.children ?? [];
}

/** A steady stream of pushes, every one with a ttl, over text connections that are reopened when the server closes them. */
function pushStream(port: number) {
  const pushes: Push[] = [];
  let running = true;
  const open = () => {
    const line = { socket: connect(port, '127.0.0.1'), sent: [] as Push[], closed: false };
    let buffer = '';
    line.socket.setEncoding('utf8');
    line.socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
        const push = line.sent.find((p) => p.reply === undefined);
        if (push) push.reply = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
      }
    });
    line.socket.on('error', () => {});
    line.socket.on('close', () => (line.closed = true));
    return line;
  };
  const lines = Array.from({ length: LINES }, open);
  const done = (async () => {
    for (let round = 0; running && round < 10_000; round++) {
      for (let i = 0; i < lines.length; i++) {
        if (lines[i]!.closed) lines[i] = open();
        const push: Push = { n: pushes.length, uid: `z${Math.floor(Math.random() * CLIENTS)}` };
        pushes.push(push);
        lines[i]!.sent.push(push);
        lines[i]!.socket.write(`{"uid":"${push.uid}","n":${push.n},"ttl":60}\n`);
      }
      await sleep(3);
    }
  })();
  /** Waits until `count` more pushes went out (bounded by time). */
  const more = async (count: number) => {
    const until = pushes.length + count;
    for (let i = 0; i < 3000 && pushes.length < until; i++) await sleep(5);
  };
  const stop = async () => {
    running = false;
    await done;
    for (const line of lines) line.socket.end();
  };
  return { pushes, more, stop };
}

describe('zero loss through faults (count 2, pushport/client, every push with a ttl)', () => {
  it('delivers every accepted push exactly once through a reload and a child SIGKILL', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    const got = new Map<string, number[]>();
    const clients = Array.from({ length: CLIENTS }, (_, i) => {
      const uid = `z${i}`;
      got.set(uid, []);
      const socket = new PushportSocket({ url: server.wsUrl, uid, WebSocket: WebSocket as unknown as WebSocketClass, minDelayMs: 20, maxDelayMs: 300, pingSeconds: 1 });
      socket.on('message', (data) => got.get(uid)!.push((JSON.parse(data) as { n: number }).n));
      return socket;
    });
    const stream = pushStream(server.textPort);
    try {
      await expect.poll(() => clients.every((c) => c.state === 'open'), { timeout: 10_000 }).toBe(true);
      await stream.more(300);

      // A reload replaces both children while pushes flow.
      const before = await children(server);
      expect((await server.command('reload')).code).toBe(0);
      await expect.poll(async () => (await children(server)).some((pid) => before.includes(pid)), { timeout: 10_000 }).toBe(false);
      await stream.more(300);

      // A child dies; the master starts another.
      const [victim] = await children(server);
      process.kill(victim!, 'SIGKILL');
      await expect.poll(async () => { const pids = await children(server); return pids.length === 2 && !pids.includes(victim!); }, { timeout: 10_000 }).toBe(true);
      await stream.more(300);
    } finally {
      await stream.stop();
    }
    // Every push answered ok or queued reaches its client; anything delivered was accepted even if its answer was lost.
    const accepted = stream.pushes.filter((p) => p.reply === 'ok' || p.reply === 'queued');
    const missing = () => accepted.filter((p) => !got.get(p.uid)!.includes(p.n)).map((p) => p.n);
    await expect.poll(missing, { timeout: 20_000 }).toEqual([]);
    expect(accepted.length).toBeGreaterThan(600);
    expect(stream.pushes.filter((p) => p.reply !== undefined && !['ok', 'queued'].includes(p.reply))).toEqual([]);
    for (const [uid, ns] of got) expect({ uid, dupes: ns.length - new Set(ns).size }).toEqual({ uid, dupes: 0 });
    for (const c of clients) c.close();
    await server.stop();
  }, 90_000);
});
