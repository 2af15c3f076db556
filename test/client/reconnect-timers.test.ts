import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushportSocket, type PushportSocketOptions } from '../../src/client/index.ts';
import { FakeWebSocket } from './fake-web-socket.ts';
import { record } from './socket-recorder.ts';

// The client's timers under fake time, against in-memory sockets: back-off, pings and stopping are decided by
// counting, so the test steps the clock and asserts what the client did, never how long it took.
describe('PushportSocket timers', () => {
  let client: PushportSocket | undefined;
  const latest = () => FakeWebSocket.made.at(-1)!;
  const start = (options: Partial<PushportSocketOptions> = {}) => {
    client = new PushportSocket({ url: 'ws://push.test/ws', uid: 'u1', WebSocket: FakeWebSocket, minDelayMs: 100, maxDelayMs: 1000, random: () => 1, ...options });
    return client;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.made = [];
  });
  afterEach(() => {
    client?.close();
    vi.useRealTimers();
  });

  it('waits longer after each failed attempt, up to maxDelayMs', () => {
    const seen = record(start());
    for (let i = 0; i < 5; i++) {
      latest().drop(1006);
      vi.advanceTimersByTime(seen.closes.at(-1)!.retryInMs!);
    }
    expect(seen.closes.map((c) => c.retryInMs)).toEqual([200, 400, 800, 1000, 1000]);
    expect(FakeWebSocket.made).toHaveLength(6);
  });

  it('reconnects only once the wait is over', () => {
    const seen = record(start());
    latest().drop(1006);
    expect(seen.states).toEqual(['waiting']);
    vi.advanceTimersByTime(199);
    expect(FakeWebSocket.made).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.made).toHaveLength(2);
    expect(seen.states).toEqual(['waiting', 'connecting']);
  });

  it('starts the back-off over after a connection the server spoke on, not after one it closed at once', () => {
    const seen = record(start());
    latest().drop(1006);
    vi.advanceTimersByTime(200);
    latest().open();
    latest().drop(1011);
    vi.advanceTimersByTime(400);
    latest().open();
    latest().receive('1 {"uid":"u1"}');
    latest().drop(1001);
    expect(seen.closes.map((c) => c.retryInMs)).toEqual([200, 400, 200]);
  });

  it('pings every pingSeconds, swallows pong, and gives up on a link silent for 2 intervals', () => {
    const seen = record(start({ pingSeconds: 1 }));
    const first = latest();
    first.open();
    vi.advanceTimersByTime(1000);
    expect(first.sent).toEqual(['ping']);
    first.receive('pong');
    vi.advanceTimersByTime(2000);
    expect(first.sent).toEqual(['ping', 'ping', 'ping']);
    expect(FakeWebSocket.made).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(first.closedWith).toBe(1000);
    expect(seen.closes).toEqual([expect.objectContaining({ code: 1006, willRetry: true })]);
    expect(seen.messages).toEqual([]);
    vi.advanceTimersByTime(seen.closes[0]!.retryInMs!);
    expect(FakeWebSocket.made).toHaveLength(2);
  });

  it('sends no ping and never gives up on a quiet link with pingSeconds 0', () => {
    start({ pingSeconds: 0 });
    latest().open();
    vi.advanceTimersByTime(3_600_000);
    expect(latest().sent).toEqual([]);
    expect(FakeWebSocket.made).toHaveLength(1);
    expect(client!.state).toBe('open');
  });

  it('gives up on a handshake that never completes', () => {
    start({ pingSeconds: 1 });
    const hung = latest();
    vi.advanceTimersByTime(3000);
    expect(hung.sent).toEqual([]);
    expect(hung.closedWith).toBe(1000);
  });

  it('does not retry after a policy close (1008), whatever time passes', () => {
    const seen = record(start());
    latest().open();
    latest().drop(1008, 'too many connections for this uid');
    vi.runAllTimers();
    expect(FakeWebSocket.made).toHaveLength(1);
    expect(seen.closes).toEqual([{ code: 1008, reason: 'too many connections for this uid', willRetry: false, retryInMs: undefined }]);
    expect(client!.state).toBe('closed');
  });

  it('stops for good on close(), also while waiting to reconnect', () => {
    const seen = record(start());
    latest().drop(1006);
    client!.close();
    vi.runAllTimers();
    expect(FakeWebSocket.made).toHaveLength(1);
    expect(seen.closes.at(-1)).toMatchObject({ willRetry: false, reason: 'closed by the app' });
    expect(seen.states.at(-1)).toBe('closed');
  });

  it('cancels its retry when a close listener calls close()', () => {
    start();
    client!.on('close', () => client!.close());
    latest().drop(1006);
    vi.runAllTimers();
    expect(FakeWebSocket.made).toHaveLength(1);
    expect(client!.state).toBe('closed');
  });

  it('identifies on every attempt and resumes from the last seq it delivered', () => {
    start({ url: 'ws://push.test/ws?room=7', since: 4 });
    latest().open();
    latest().receive('5 {"uid":"u1"}');
    latest().drop(1006);
    vi.runOnlyPendingTimers();
    const urls = FakeWebSocket.made.map((ws) => new URL(ws.url));
    expect(urls.map((u) => [u.searchParams.get('room'), u.searchParams.get('uid'), u.searchParams.get('since')])).toEqual([['7', 'u1', '4'], ['7', 'u1', '5']]);
    expect(FakeWebSocket.made.map((ws) => ws.protocols)).toEqual(['pushport.v1', 'pushport.v1']);
  });

  it('asks without pushport.v1 every other attempt until a v1 connection opened, and always after', () => {
    start();
    const step = (then: (ws: FakeWebSocket) => void) => {
      then(latest());
      vi.runOnlyPendingTimers();
    };
    const drop = (ws: FakeWebSocket) => ws.drop(1006);
    step(drop);
    step(drop);
    step(drop);
    step((ws) => {
      ws.open('');
      ws.drop(1001);
    });
    step((ws) => {
      ws.open('pushport.v1');
      ws.drop(1001);
    });
    step(drop);
    expect(FakeWebSocket.made.map((ws) => ws.protocols)).toEqual(['pushport.v1', [], 'pushport.v1', [], 'pushport.v1', 'pushport.v1', 'pushport.v1']);
  });

  it('stops calling a listener once it unsubscribed', () => {
    const got: string[] = [];
    const off = start().on('message', (data) => got.push(data));
    latest().open();
    latest().receive('1 a');
    off();
    latest().receive('2 b');
    expect(got).toEqual(['a']);
    expect(client!.lastSeq).toBe(2);
  });
});
