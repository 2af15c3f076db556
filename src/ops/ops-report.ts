import type { HubStats } from '../hub/sum-stats.ts';
import type { GroupFigures } from '../groups/group-target.ts';
import type { MailboxFigures } from '../mailbox/mailbox.ts';
import type { LatencyCounts } from './latency-histogram.ts';

/** One part of the server: a process locally, a Durable Object shard on the edge. */
export interface PartStats extends HubStats {
  /** The process index (0 … COUNT-1) or the shard number (0 … SHARDS-1). */
  id: number;
}

/** What the dashboard and /metrics read: the whole server, part by part, and the push latency. */
export interface OpsReport {
  /** What a part is on this runtime. */
  unit: 'process' | 'shard';
  parts: PartStats[];
  /** Whole-server figures (a uid online in two processes counts once; a broadcast counts once). */
  total: HubStats;
  /** Push latency over the whole server. */
  latency: LatencyCounts;
  /** The ttl queue over the whole server, where the runtime reports it. */
  queue?: MailboxFigures;
  /** Groups with members and group pushes served, where the runtime has groups. */
  groups?: GroupFigures;
}

/** Where a runtime's figures come from, and where the HTTP push routes report their latency. */
export interface OpsSource {
  /** The figures now, gathered from every part. */
  report(): Promise<OpsReport>;
  /** Records `count` pushes answered `seconds` after their request arrived. */
  observe(seconds: number, count: number): void;
}

