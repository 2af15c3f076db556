import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { WebSocketTransport } from '../../../emulator/websocket/connection.ts';
import { WebSocketHeartbeat } from '../../../emulator/websocket/heartbeat.ts';
import { serve, stopServed } from '../helpers/in-process.ts';

const clients: WebSocket[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const ws of clients.splice(0)) ws.terminate();
  stopServed();
});

/** Opens a client that counts the pings it gets; `answers: false` leaves them unanswered, as a dead peer would. */
async function connect(port: number, answers = true): Promise<{ ws: WebSocket; pings: () => number }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong: answers });
  clients.push(ws);
  let pings = 0;
  ws.on('ping', () => pings++);
  await new Promise((open, fail) => ws.once('open', open).once('error', fail));
  return { ws, pings: () => pings };
}

describe('the WebSocket heartbeat, over real sockets', () => {
  it('visits a slice of connections per turn of the event loop, pings every client, and cuts only one that never answers', async () => {
    // Visits made in one synchronous run of a beat's slice, read once that run is over.
    const runs: number[] = [];
    let inRun = 0;
    const beat = WebSocketTransport.prototype.beat;
    vi.spyOn(WebSocketTransport.prototype, 'beat').mockImplementation(function (this: WebSocketTransport) {
      if (inRun++ === 0) queueMicrotask(() => (runs.push(inRun), (inRun = 0)));
      beat.call(this);
    });
    const port = serve('websocket', (worker) => (worker.pingInterval = 0.2));
    const n = WebSocketHeartbeat.perTurn * 2 + 20;
    const lively = await Promise.all(Array.from({ length: n }, () => connect(port)));
    const deaf = await connect(port, false);
    const deafClosed = new Promise((done) => deaf.ws.once('close', done));

    await expect.poll(() => lively.every((c) => c.pings() >= 2), { timeout: 15_000 }).toBe(true);
    await deafClosed;
    expect(lively.every((c) => c.ws.readyState === WebSocket.OPEN)).toBe(true);
    expect(runs.length).toBeGreaterThan(2);
    expect(Math.max(...runs)).toBeLessThanOrEqual(WebSocketHeartbeat.perTurn);
  }, 30_000);
});
