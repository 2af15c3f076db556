import { emptyStats, type Hub, type HubCounters, type HubStats } from '../hub/hub.ts';
import type { PushSocket } from '../hub/push-socket.ts';
import type { RegistryCounts } from '../hub/registry.ts';
import type { Push } from '../wire/push-message.ts';

/** One operation a process asks of another process's hub; plain data, so it can cross any channel. */
export type HubRequest =
  | { op: 'deliverMany'; pushes: Push[] }
  | { op: 'deliverAll'; message: string }
  | { op: 'online'; uid: string }
  | { op: 'kick'; uid: string; reason?: string }
  | { op: 'stats' };

/** One process's share of the whole-server figures; uids are listed so tabs in two processes count once. */
export interface ProcessStats {
  counts: RegistryCounts;
  counters: HubCounters;
  uids: string[];
}

/** The answer type of each request. */
export type AnswerOf<R extends HubRequest> =
  R extends { op: 'deliverMany' } ? number[] : R extends { op: 'stats' } ? ProcessStats : number;

/** Carries hub requests to the other processes of one server (memory, IPC, …). */
export interface Relay {
  /** How many other processes there are (0: this one is alone, and nothing needs asking). */
  readonly peers: number;
  /** Asks every other process and gathers their answers; none when this process is alone. */
  ask<R extends HubRequest>(request: R): Promise<AnswerOf<R>[]>;
}

/** Answers a request from this process's own sockets; delivery here counts nothing, the asker counts. */
export function answerHubRequest<S extends PushSocket>(hub: Hub<S>, request: HubRequest): AnswerOf<HubRequest> {
  switch (request.op) {
    case 'deliverMany':
      return request.pushes.map((p) => hub.deliver(p.uid, p.message));
    case 'deliverAll':
      return hub.deliverAll(request.message);
    case 'online':
      return hub.online(request.uid);
    case 'kick':
      return hub.kick(request.uid, request.reason);
    case 'stats':
      return processStats(hub);
  }
}

/** This process's share of the whole-server figures. */
export function processStats<S extends PushSocket>(hub: Hub<S>): ProcessStats {
  return { counts: hub.registry.counts(), counters: { ...hub.counters }, uids: [...hub.registry.uids()] };
}

/** Adds the processes' shares into whole-server figures, counting a uid online in two processes once. */
export function mergeStats(shares: ProcessStats[]): HubStats {
  const total = emptyStats();
  const uids = new Set<string>();
  for (const { counts, counters, uids: list } of shares) {
    total.connections += counts.connections;
    total.identified += counts.identified;
    for (const key of ['pushes', 'delivered', 'failed', 'broadcasts'] as const) total[key] += counters[key];
    for (const uid of list) uids.add(uid);
  }
  total.uids = uids.size;
  return total;
}
