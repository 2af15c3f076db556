import WebSocket from 'ws';
import { getStats } from './api.ts';
import { onCleanup } from './cleanup.ts';
import { pause, type Deadline } from './deadline.ts';

/** What the bench puts in every message it sends: a run tag, the send time, and a push seq or broadcast index. */
export interface Probe {
  r: number;
  t: number;
  seq?: number;
  b?: number;
}

/** Called for each message of the current run, with the receiving client's index and the arrival time. */
export type ProbeHandler = (probe: Probe, client: number, arrivedAt: number) => void;

// Handshakes in flight at once: more only overflows the listen backlog, and a dropped SYN costs a 1 s retry.
const CONNECT_CONCURRENCY = 200;
const STATS_POLL_MS = 20;

/** How registering went: time until /stats counted every client, and clients that never opened. */
export interface Registration {
  registrationMs: number;
  identified: number;
  connectErrors: number;
  timedOut: boolean;
}

/**
 * N WebSocket clients in this process, client i identified as `u<i>`. Messages are timed on arrival with the
 * same clock the senders stamp them with, and handed to the current run's handler; others are counted as stray.
 */
export class ClientPool {
  readonly size: number;
  private readonly sockets: WebSocket[] = [];
  private run = 0;
  private handler: ProbeHandler = () => {};
  /** Messages from another run (late after a timeout) or not bench probes at all. */
  stray = 0;
  /** Clients closed by the server or the network while the bench still wanted them. */
  dropped = 0;
  private closing = false;
  private readonly unregister: () => void;

  private constructor(size: number) {
    this.size = size;
    this.unregister = onCleanup(() => this.close());
  }

  /** Opens the clients (bounded concurrency), sends each uid, and polls GET /stats until all are identified. */
  static async connect(port: number, size: number, deadline: Deadline): Promise<{ pool: ClientPool; registration: Registration }> {
    const pool = new ClientPool(size);
    const started = performance.now();
    let next = 0;
    let connectErrors = 0;
    const opener = async () => {
      while (next < size && !deadline.passed()) {
        const ok = await pool.open(port, next++);
        if (!ok) connectErrors++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, size) }, opener));
    let identified = 0;
    // Bounded in time by the deadline and in count by the polls that fit in it.
    const maxPolls = Math.ceil(deadline.remainingMs() / STATS_POLL_MS) + 1;
    for (let poll = 0; poll < maxPolls && !deadline.passed(); poll++) {
      identified = (await getStats(port).catch(() => ({ identified: -1 }))).identified;
      if (identified >= size) break;
      await pause(STATS_POLL_MS, deadline);
    }
    const registration = { registrationMs: performance.now() - started, identified, connectErrors, timedOut: identified < size };
    return { pool, registration };
  }

  /** Sends the next messages to `handler`, tagged `run`; anything else is stray from now on. */
  listen(run: number, handler: ProbeHandler): void {
    this.run = run;
    this.handler = handler;
  }

  /** Closes every client at once (terminate: no close handshake to wait for). */
  close(): void {
    this.closing = true;
    for (const ws of this.sockets) ws.terminate();
    this.sockets.length = 0;
    this.unregister();
  }

  // Resolves false when the handshake fails; the uid goes out as the first message, as a browser sends it.
  private open(port: number, index: number): Promise<boolean> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false, handshakeTimeout: 10_000 });
      this.sockets.push(ws);
      ws.once('open', () => {
        ws.send(`u${index}`);
        resolve(true);
      });
      ws.on('error', () => resolve(false));
      ws.once('close', () => {
        if (!this.closing) this.dropped++;
        resolve(false);
      });
      ws.on('message', (data) => this.receive(String(data), index));
    });
  }

  private receive(text: string, client: number): void {
    const arrivedAt = performance.now();
    let probe: Probe;
    try {
      probe = JSON.parse(text) as Probe;
    } catch {
      this.stray++;
      return;
    }
    if (probe?.r !== this.run) this.stray++;
    else this.handler(probe, client, arrivedAt);
  }
}
