import { expect } from 'vitest';
import WebSocket from 'ws';

/**
 * A `pushport.v1` client as the README describes it and nothing more: it remembers the highest seq it saw and,
 * when its connection drops, reconnects with `?since=` that seq. It does no gap handling and no de-duplication,
 * so a test sees exactly what the server sent it: the server alone must make resume gap-free.
 */
export class PlainV1Client {
  /** The payload of every push received, in arrival order. */
  readonly messages: string[] = [];
  /** Every seq received, in arrival order. */
  readonly seqs: number[] = [];
  /** Whether a connection is open now. */
  open = false;
  private highest = 0;
  private ws: WebSocket | undefined;
  private stopped = false;
  private readonly url: string;
  private readonly uid: string;
  private readonly retryMs: () => number;

  /** `url` is the server's ws:// origin; `retryMs` says how long to wait before each reconnect. */
  constructor(url: string, uid: string, retryMs: () => number = () => 20) {
    this.url = url;
    this.uid = uid;
    this.retryMs = retryMs;
    this.connect();
  }

  /** The `n` field of every push received (the tests' pushes are JSON objects that number themselves). */
  numbers(): number[] {
    return this.messages.map((m) => (JSON.parse(m) as { n: number }).n);
  }

  /** Stops for good. */
  close(): void {
    this.stopped = true;
    this.ws?.terminate();
  }

  private connect(): void {
    const since = this.highest > 0 ? `&since=${this.highest}` : '';
    const ws = new WebSocket(`${this.url}/?uid=${encodeURIComponent(this.uid)}${since}`, 'pushport.v1');
    this.ws = ws;
    ws.on('open', () => (this.open = true));
    ws.on('message', (data) => {
      const text = String(data);
      const space = text.indexOf(' ');
      const seq = Number(text.slice(0, space));
      this.seqs.push(seq);
      this.messages.push(text.slice(space + 1));
      if (seq > this.highest) this.highest = seq;
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      this.open = false;
      // Soon, but not in a tight loop while the server is away.
      if (!this.stopped) setTimeout(() => this.stopped || this.connect(), this.retryMs());
    });
  }
}

/**
 * Waits (bounded) until every push answered `ok` or `queued` reached its uid's client, then checks that none
 * arrived twice and each client's seqs came in order.
 */
export async function expectEachOnceInOrder(clients: ReadonlyMap<string, PlainV1Client>, accepted: readonly { n: number; uid: string }[]): Promise<void> {
  const missing = () => accepted.filter((p) => !clients.get(p.uid)!.numbers().includes(p.n)).map((p) => p.n);
  await expect.poll(missing, { timeout: 20_000 }).toEqual([]);
  for (const [uid, client] of clients) {
    const ns = client.numbers();
    expect({ uid, dupes: ns.length - new Set(ns).size }).toEqual({ uid, dupes: 0 });
    expect({ uid, seqs: client.seqs }).toEqual({ uid, seqs: [...client.seqs].sort((a, b) => a - b) });
  }
}
