import type { HubStats } from '../hub/hub.ts';
import { Coalescer } from '../coalesce.ts';
import type { Push, PushTarget } from '../hub/push-target.ts';

/** Where a remote pushport is and how to reach it. */
export interface HttpTargetOptions {
  /** Base URL of the deployment, e.g. https://pushport.example.workers.dev */
  url: string;
  token: string;
  /** Most pushes per batch request (the server's MAX_BATCH). */
  maxBatch?: number;
  /** Stands in for the global fetch, in tests. */
  fetch?: typeof fetch;
}

type Waiting = { push: Push; resolve: (n: number) => void; reject: (e: Error) => void };
type BatchResult = { ok: boolean; delivered?: number; error?: string };

/**
 * A remote pushport's HTTP API as a push target. Pushes made while a request is in flight are sent
 * together as the next `/push/batch`, one request at a time, so a pipelined stream keeps its order.
 */
export class HttpTarget implements PushTarget {
  private readonly base: string;
  private readonly options: HttpTargetOptions;
  private queue: Waiting[] = [];
  private sending = false;
  // The pushes of one tick (the lines of one read) join the queue together, so they go in one batch.
  private readonly incoming = new Coalescer<Waiting>((pushes) => {
    this.queue = this.queue.length === 0 ? pushes : this.queue.concat(pushes);
    void this.drain();
  });

  constructor(options: HttpTargetOptions) {
    this.options = options;
    this.base = options.url.replace(/\/+$/, '');
  }

  push(uid: string, message: string): Promise<number> {
    return new Promise((resolve, reject) => this.incoming.add({ push: { uid, message }, resolve, reject }));
  }

  async pushMany(pushes: Push[]): Promise<number[]> {
    return Promise.all(pushes.map((p) => this.push(p.uid, p.message)));
  }

  async broadcast(message: string): Promise<number> {
    return ((await this.call('POST', '/broadcast', message)) as { delivered: number }).delivered;
  }

  async online(uid: string): Promise<number> {
    return ((await this.call('GET', `/online/${encodeURIComponent(uid)}`)) as { connections: number }).connections;
  }

  async kick(uid: string, reason?: string): Promise<number> {
    const query = reason === undefined ? '' : `?reason=${encodeURIComponent(reason)}`;
    return ((await this.call('DELETE', `/online/${encodeURIComponent(uid)}${query}`)) as { closed: number }).closed;
  }

  async stats(): Promise<HubStats> {
    return (await this.call('GET', '/stats')) as HubStats;
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch ?? 1000);
      try {
        const body = batch.map((w) => w.push.message).join('\n');
        const { results } = (await this.call('POST', '/push/batch', body)) as { results: BatchResult[] };
        batch.forEach((w, i) => {
          const r = results[i];
          if (r?.error !== undefined || r === undefined) w.reject(new Error(r?.error ?? 'no answer for this push'));
          else w.resolve(r.delivered ?? 0);
        });
      } catch (err) {
        for (const w of batch) w.reject(err as Error);
      }
    }
    this.sending = false;
  }

  private async call(method: string, path: string, body?: string): Promise<unknown> {
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(`${this.base}${path}`, {
        method,
        body,
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'text/plain; charset=utf-8' },
      });
    } catch (err) {
      throw new Error(`upstream unreachable: ${(err as Error).message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`upstream answered ${res.status} without JSON`);
    }
    if (!res.ok) throw new Error(`upstream ${res.status}: ${(json as { error?: string }).error ?? text}`);
    return json;
  }
}
