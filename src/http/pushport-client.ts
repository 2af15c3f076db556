import type { GroupCounts, MemberPage } from '../groups/group-target.ts';
import type { HubStats } from '../hub/sum-stats.ts';
import { Coalescer } from '../coalesce.ts';
import { QUEUED } from '../hub/push-answer.ts';
import type { PushTarget } from '../hub/push-target.ts';
import type { PushOptions } from '../wire/push-message.ts';
import { groupPushBody, pushBody, type GroupPushOptions, type PushMessage } from './push-body.ts';
import { PushportError } from './pushport-error.ts';

/** Where a pushport server is and how to call it. */
export interface PushportClientOptions {
  /** Base URL of the server or deployment, e.g. https://pushport.example.workers.dev */
  url: string;
  /** The publisher token (PUSH_TOKEN). */
  token: string;
  /** Sends the pushes made in one tick as one `POST /push/batch` instead of one `POST /push` each. */
  batch?: boolean;
  /** Most pushes or uids per request (the server's MAX_BATCH, 1000 by default). */
  maxBatch?: number;
  /** Stands in for the global fetch (a test, a runtime's own). */
  fetch?: typeof fetch;
}

/** One push for pushMany: an object message gets its `ttl` and `id` here; a string carries its own. */
export interface ClientPush extends PushOptions {
  uid: string;
  message: PushMessage;
}

type Waiting = { body: string; resolve: (n: number) => void; reject: (e: Error) => void };
type BatchResult = { ok: boolean; delivered?: number; queued?: boolean; error?: string };

const groupPath = (group: string) => `/groups/${encodeURIComponent(group)}`;
const memberPath = (group: string, uid: string) => `${groupPath(group)}/members/${encodeURIComponent(uid)}`;

// QUEUED for a push kept for its offline uid, else the connections reached.
const answerOf = (r: { delivered?: number; queued?: boolean }) => (r.queued ? QUEUED : r.delivered ?? 0);

/**
 * The pushport HTTP API for a backend, on any runtime with WHATWG fetch: each call answers the number of
 * connections reached, and every refusal throws a PushportError with the status and the server's reason.
 * With `batch`, pushes made together are sent as one `/push/batch`, one request at a time, in order.
 */
export class PushportClient implements PushTarget {
  private readonly base: string;
  private readonly options: PushportClientOptions;
  private queue: Waiting[] = [];
  private sending = false;
  // The pushes of one tick join the queue together, so they go in one batch.
  private readonly incoming = new Coalescer<Waiting>((pushes) => {
    this.queue = this.queue.length === 0 ? pushes : this.queue.concat(pushes);
    void this.drain();
  });

  constructor(options: PushportClientOptions) {
    this.options = options;
    this.base = options.url.replace(/\/+$/, '');
  }

  /**
   * Pushes to every connection of a uid; answers how many were reached (0: nobody online), or QUEUED (-1)
   * when nobody was and the push waits for its ttl. A full queue throws a PushportError with status 429.
   */
  async push(uid: string, message: PushMessage, options?: PushOptions): Promise<number> {
    return this.send(pushBody(uid, message, options));
  }

  /**
   * Pushes to every connection of every member of a group but `except`; answers the connections reached, or
   * QUEUED (-1) when none were online and the push waits for offline members (it had a ttl). A string message
   * is sent as it is (it names its group); an object gets `group` and the options added.
   */
  async pushToGroup(group: string, message: PushMessage, options?: GroupPushOptions): Promise<number> {
    return this.send(groupPushBody(group, message, options));
  }

  // One push body, alone or (with `batch`) in the next batch, in order with the others.
  private async send(body: string): Promise<number> {
    if (this.options.batch) return new Promise((resolve, reject) => this.incoming.add({ body, resolve, reject }));
    return answerOf((await this.call('POST', '/push', body)) as { delivered: number; queued?: boolean });
  }

  /**
   * Pushes many, in one request per MAX_BATCH; answers each count (or QUEUED) in order. A push the server refuses (a
   * string that is not a JSON push) throws its reason, after the others of its request were made.
   */
  async pushMany(pushes: ClientPush[]): Promise<number[]> {
    const bodies = pushes.map((p) => pushBody(p.uid, p.message, p));
    const counts: number[] = [];
    for (let at = 0; at < bodies.length; at += this.maxBatch) {
      const results = await this.sendBatch(bodies.slice(at, at + this.maxBatch));
      results.forEach((r, i) => {
        if (r === undefined || r.error !== undefined) throw new PushportError(400, `push ${at + i + 1}: ${r?.error ?? 'no answer'}`);
        counts.push(answerOf(r));
      });
    }
    return counts;
  }

  /** Sends to every identified connection; answers how many were reached. */
  async broadcast(message: PushMessage): Promise<number> {
    const body = typeof message === 'string' ? message : JSON.stringify(message);
    return ((await this.call('POST', '/broadcast', body)) as { delivered: number }).delivered;
  }

  /** Live connections of a uid. */
  async online(uid: string): Promise<number> {
    return ((await this.call('GET', `/online/${encodeURIComponent(uid)}`)) as { connections: number }).connections;
  }

  /** Live connections of each uid, in one request per MAX_BATCH uids. */
  async onlineMany(uids: string[]): Promise<Record<string, number>> {
    // Entries, not Object.assign: a uid such as `__proto__` must stay an ordinary key.
    const entries: Array<[string, number]> = [];
    for (let at = 0; at < uids.length; at += this.maxBatch) {
      const list = uids.slice(at, at + this.maxBatch).map(encodeURIComponent).join(',');
      entries.push(...Object.entries((await this.call('GET', `/online?uids=${list}`)) as Record<string, number>));
    }
    return Object.fromEntries(entries);
  }

  /** Closes every connection of a uid (the reason reaches the clients' close event); answers how many. */
  async kick(uid: string, reason?: string): Promise<number> {
    const query = reason === undefined ? '' : `?reason=${encodeURIComponent(reason)}`;
    return ((await this.call('DELETE', `/online/${encodeURIComponent(uid)}${query}`)) as { closed: number }).closed;
  }

  /**
   * Adds a uid, or many (one request per MAX_BATCH), to a group; answers how many were not members before. A
   * join past MAX_GROUP_MEMBERS or MAX_GROUPS_PER_UID throws a PushportError with status 409 (none of that request joined).
   */
  async joinGroup(group: string, uids: string | readonly string[]): Promise<number> {
    if (typeof uids === 'string') return ((await this.call('PUT', memberPath(group, uids))) as { joined: boolean }).joined ? 1 : 0;
    let joined = 0;
    for (let at = 0; at < uids.length; at += this.maxBatch) {
      const body = JSON.stringify({ uids: uids.slice(at, at + this.maxBatch) });
      joined += ((await this.call('POST', `${groupPath(group)}/members`, body)) as { joined: number }).joined;
    }
    return joined;
  }

  /** Takes a uid out of a group; answers whether it was a member. */
  async leaveGroup(group: string, uid: string): Promise<boolean> {
    return ((await this.call('DELETE', memberPath(group, uid))) as { left: boolean }).left;
  }

  /** Deletes a group; answers how many members it had. */
  async removeGroup(group: string): Promise<number> {
    return ((await this.call('DELETE', groupPath(group))) as { removed: number }).removed;
  }

  /** A group's members, online members and their connections. */
  async group(group: string): Promise<GroupCounts & { group: string }> {
    return (await this.call('GET', groupPath(group))) as GroupCounts & { group: string };
  }

  /** The groups a uid belongs to. */
  async groupsOf(uid: string): Promise<string[]> {
    return ((await this.call('GET', `/groups?uid=${encodeURIComponent(uid)}`)) as { groups: string[] }).groups;
  }

  /** A group's members page by page (`online`: only those with a live connection), each page one request. */
  async *groupMembers(group: string, options: { online?: boolean; limit?: number } = {}): AsyncGenerator<string[], void, undefined> {
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams();
      if (options.online) query.set('online', '1');
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      if (cursor !== undefined) query.set('cursor', cursor);
      const page = (await this.call('GET', `${groupPath(group)}/members?${query}`)) as MemberPage;
      yield page.uids;
      cursor = page.cursor;
    } while (cursor !== undefined);
  }

  /** Whole-server figures. */
  async stats(): Promise<HubStats> {
    return (await this.call('GET', '/stats')) as HubStats;
  }

  private get maxBatch(): number {
    return this.options.maxBatch ?? 1000;
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.sendBatch(batch.map((w) => w.body));
        batch.forEach((w, i) => {
          const r = results[i];
          if (r === undefined || r.error !== undefined) {
            const reason = r?.error ?? 'no answer for this push';
            w.reject(new PushportError(400, reason, reason));
          } else w.resolve(answerOf(r));
        });
      } catch (err) {
        for (const w of batch) w.reject(err as Error);
      }
    }
    this.sending = false;
  }

  private async sendBatch(bodies: string[]): Promise<BatchResult[]> {
    return ((await this.call('POST', '/push/batch', bodies.join('\n'))) as { results: BatchResult[] }).results;
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
      throw this.refusal(0, (err as Error).message);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.refusal(res.status, `answered without JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok) throw this.refusal(res.status, (json as { error?: string }).error ?? text);
    return json;
  }

  /** The error for a request the server refused (status 0: never reached); a subclass may word it its own way. */
  protected refusal(status: number, reason: string): PushportError {
    return new PushportError(status, reason);
  }
}
