import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocketTransport } from '../../../emulator/websocket/connection.ts';
import { WebSocketHeartbeat } from '../../../emulator/websocket/heartbeat.ts';

/** Transports that count their pings and cuts; `lively` ones answer every ping, the others never do. */
function clients(count: number, lively: (i: number) => boolean) {
  const pings = new Array<number>(count).fill(0);
  const cut = new Set<number>();
  // Pings made in the synchronous run of each beat slice, read once that run is over.
  const runs: number[] = [];
  let inRun = 0;
  const transports = pings.map((_, i) => ({
    alive: true,
    ping() {
      pings[i]!++;
      if (inRun++ === 0) queueMicrotask(() => (runs.push(inRun), (inRun = 0)));
      if (lively(i)) queueMicrotask(() => (this.alive = true));
    },
    cut() {
      cut.add(i);
    },
  }));
  return { transports: transports as unknown as WebSocketTransport[], pings, cut, runs };
}

const beats: WebSocketHeartbeat[] = [];
afterEach(() => {
  for (const beat of beats.splice(0)) for (const t of (beat as unknown as { watched: Set<WebSocketTransport> }).watched) beat.forget(t);
});

describe('WebSocketHeartbeat', () => {
  it('spreads a beat over turns of the event loop, a slice of clients each, and still pings every client', async () => {
    const n = WebSocketHeartbeat.perTurn * 2 + 10;
    const { transports, pings, runs } = clients(n, () => true);
    const heartbeat = new WebSocketHeartbeat(() => 0.02);
    beats.push(heartbeat);
    for (const t of transports) heartbeat.watch(t);
    await expect.poll(() => pings.every((p) => p >= 1)).toBe(true);
    expect(Math.max(...runs)).toBeLessThanOrEqual(WebSocketHeartbeat.perTurn);
  });

  it('cuts a client that did not answer its ping by the next beat, and keeps the ones that did', async () => {
    const n = WebSocketHeartbeat.perTurn + 5;
    const deaf = (i: number) => i % 50 === 7;
    const { transports, pings, cut } = clients(n, (i) => !deaf(i));
    const heartbeat = new WebSocketHeartbeat(() => 0.02);
    beats.push(heartbeat);
    for (const t of transports) heartbeat.watch(t);
    const expected = pings.map((_, i) => i).filter(deaf);
    await expect.poll(() => [...cut].sort((a, b) => a - b)).toEqual(expected);
    // The lively ones go on being pinged, beat after beat.
    await expect.poll(() => pings.filter((p, i) => !deaf(i) && p >= 3).length).toBe(n - expected.length);
    expect([...cut].sort((a, b) => a - b)).toEqual(expected);
  });
});
