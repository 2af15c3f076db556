import { afterEach, describe, expect, it } from 'vitest';
import { createConnection, createServer, type Socket } from 'node:net';
import { flushAtEndOfTurn } from '../../../emulator/end-of-turn.ts';
import type { PushTarget } from '../../../src/index.ts';
import type { TcpConnection } from '../../../emulator/index.ts';
import { REPLY_BACKLOG_BYTES, serveTextPort, type ServedTextPort } from '../../../emulator/push/text-port.ts';
import { LineClient } from '../../support/line-client.ts';
import { serve, served, stopServed } from '../helpers/in-process.ts';
import { waitFor } from '../../support/poll.ts';

const clients: LineClient[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.socket.destroy();
  stopServed();
});

/** A text port on a target where uid `on` is online (or on `target`); records every message pushed. */
function textPort(maxLineBytes = 1024, target?: PushTarget, token?: string) {
  const pushed: string[] = [];
  const observed = { lines: 0, seconds: 0 };
  target ??= { push: (uid: string, message: string) => (uid === 'on' ? (pushed.push(message), 1) : 0) } as unknown as PushTarget;
  const observe = (seconds: number, lines: number) => {
    observed.lines += lines;
    observed.seconds += seconds;
  };
  const port = serve('text', (worker) => serveTextPort(worker, { target, token, maxLineBytes, maxUidBytes: 64, observe }));
  return { port, pushed, observed };
}

async function client(port: number): Promise<LineClient> {
  const opened = await LineClient.open(port);
  clients.push(opened);
  return opened;
}

describe('the text push port', () => {
  it('answers every line, in order, to a backend that reads its replies late, and stops reading meanwhile', async () => {
    const { port, pushed } = textPort();
    const c = await client(port);
    // Count replies as they come rather than re-reading megabytes on every poll.
    let counted = 0;
    c.socket.on('data', (chunk: Buffer) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) counted++;
    });
    c.socket.pause();
    const bad = '{"uid":true}\n';
    const lines = 300_000;
    // Written in slices so the test's own socket buffer stays small; bounded by `lines`.
    for (let sent = 0; sent < lines; sent += 10_000) c.socket.write(bad.repeat(10_000));
    for (let i = 0; i < 10; i++) c.socket.write(`{"uid":"on","n":${i}}\n`);
    const server = await waitFor(() => served()[0]?.connections.values().next().value as TcpConnection | undefined, 'the connection');
    await waitFor(() => server.paused, 'the server to stop reading');
    // Memory stays bounded while the backend does not read: the replies owed are capped.
    expect(server.getSendBufferQueueSize()).toBeLessThanOrEqual(REPLY_BACKLOG_BYTES + 64 * 1024);
    expect(pushed.length).toBeLessThan(10);
    c.socket.resume();
    const expected = lines + 10;
    await waitFor(() => counted >= expected, 'every reply', 60_000);
    const replies = c.text().split('\n').slice(0, -1);
    expect(replies).toHaveLength(expected);
    expect(replies.slice(0, lines).every((r) => r === 'error uid must be a string or an integer')).toBe(true);
    expect(replies.slice(lines)).toEqual(Array(10).fill('ok'));
    expect(pushed).toEqual(Array.from({ length: 10 }, (_, i) => `{"uid":"on","n":${i}}`));
  }, 90_000);

  // What `--text-host` beyond loopback turns on (config.test.ts: textPortNeedsToken), over a real socket.
  it('with a token, answers the right first line ok and serves pushes; a wrong one gets error invalid token and a close', async () => {
    const { port, pushed } = textPort(1024, undefined, 'text-secret');
    const good = await client(port);
    good.write('text-secret\n{"uid":"on","n":1}\n');
    expect(await good.read(2)).toEqual(['ok', 'ok']);
    expect(pushed).toEqual(['{"uid":"on","n":1}']);
    const wrong = await client(port);
    wrong.write('not-the-secret\n{"uid":"on","n":2}\n');
    expect(await wrong.read()).toEqual(['error invalid token']);
    await wrong.closed;
    expect(wrong.text()).toBe('error invalid token\n');
    // A push as the first line is not the token either.
    const skipped = await client(port);
    skipped.write('{"uid":"on","n":3}\n');
    expect(await skipped.read()).toEqual(['error invalid token']);
    await skipped.closed;
    expect(skipped.text()).toBe('error invalid token\n');
    expect(pushed).toEqual(['{"uid":"on","n":1}']);
  });

  it('reports every answered line to the latency histogram, from its arrival to its answer', async () => {
    // `slow` is answered only when the test says: the line arrived before the target was called, and is answered
    // after the release, so the seconds reported are at least the time between the two.
    let calledAt = 0;
    let release = () => {};
    const target = {
      push: (uid: string) => {
        if (uid !== 'slow') return uid === 'on' ? 1 : 0;
        calledAt = performance.now();
        return new Promise<number>((resolve) => (release = () => resolve(1)));
      },
    } as unknown as PushTarget;
    const { port, observed } = textPort(1024, target);
    const c = await client(port);
    c.write('{"uid":"on"}\n{"uid":"off"}\n');
    await c.waitForText('ok\nfail\n');
    c.write('{"uid":"slow"}\n');
    await waitFor(() => calledAt > 0, 'the slow push to reach the target');
    await waitFor(() => performance.now() > calledAt, 'the clock to move');
    const held = (performance.now() - calledAt) / 1000;
    release();
    await c.waitForText('ok\nfail\nok\n');
    expect(observed.lines).toBe(3);
    expect(observed.seconds).toBeGreaterThanOrEqual(held);
  });

  it('holds \\n and \\r\\n lines to exactly maxLineBytes, and closes on a longer one after saying why', async () => {
    const { port, pushed } = textPort(32);
    const exact = `{"uid":"on","p":"${'x'.repeat(32 - 19)}"}`;
    expect(Buffer.byteLength(exact)).toBe(32);
    const lf = await client(port);
    lf.socket.write(`${exact}\n${exact}\r\n`);
    expect(await lf.waitForText('ok\nok\n')).toBe('ok\nok\n');
    for (const ending of ['\n', '\r\n']) {
      const over = await client(port);
      // The line before it is answered first; nothing after it is read.
      over.socket.write(`${exact}${ending}{"uid":"on","p":"${'x'.repeat(32 - 18)}"}${ending}${exact}${ending}`);
      await over.closed;
      expect(over.text()).toBe('ok\nerror line longer than 32 bytes\n');
    }
    // A line that never ends is over the limit too.
    const endless = await client(port);
    endless.socket.write('x'.repeat(100));
    await endless.closed;
    expect(endless.text()).toBe('error line longer than 32 bytes\n');
    expect(pushed).toEqual([exact, exact, exact, exact]);
  });

  it('ends (as a reload does) only after every line read has its answer, reads nothing more, and closes without a reset', async () => {
    // Answers that wait, as a push that crosses to another process waits, released by the test.
    const release: Array<() => void> = [];
    const target = { push: () => new Promise<number>((resolve) => release.push(() => resolve(1))) } as unknown as PushTarget;
    let text: ServedTextPort | undefined;
    const port = serve('text', (worker) => (text = serveTextPort(worker, { target, maxLineBytes: 1024, maxUidBytes: 64 })));
    const c = await client(port);
    let reset = false;
    c.socket.on('error', () => (reset = true));
    c.write('{"uid":"a"}\n{"uid":"b"}\n');
    await waitFor(() => release.length === 2, 'both lines read');
    const ended = text!.end();
    c.write('{"uid":"late"}\n');
    for (const answer of release.splice(0)) answer();
    await c.closed;
    await ended;
    expect(c.text()).toBe('ok\nok\n');
    expect(release).toEqual([]);
    expect(reset).toBe(false);
  });

  it('answers ok only after the frame it answers for has left, so a backend never hears of a delivery first', async () => {
    const events: string[] = [];
    const listener = createServer((socket) => socket.on('data', () => events.push('frame')));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port: deliveryPort } = listener.address() as { port: number };
    const delivery: Socket = await new Promise((resolve) => {
      const socket = createConnection({ port: deliveryPort, host: '127.0.0.1' }, () => resolve(socket));
    });
    try {
      // The client's frame, held for the end of the turn as a WebSocket transport holds it.
      const frame = { flush: () => void delivery.write('frame') };
      const target = { push: () => (flushAtEndOfTurn(frame), 1) } as unknown as PushTarget;
      const port = serve('text', (worker) => serveTextPort(worker, { target, maxLineBytes: 1024, maxUidBytes: 64 }));
      const c = await client(port);
      c.socket.on('data', () => events.push('ok'));
      for (let i = 0; i < 20; i++) {
        c.write('{"uid":"on"}\n');
        await waitFor(() => events.filter((e) => e === 'ok').length === i + 1, 'the reply');
      }
      // Both land in this process's loopback sockets; whichever the server wrote first is read first.
      expect(events).toEqual(Array.from({ length: 20 }, () => ['frame', 'ok']).flat());
    } finally {
      delivery.destroy();
      listener.close();
    }
  });
});
