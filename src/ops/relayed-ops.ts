import { sumStats, type StatsShare } from '../hub/sum-stats.ts';
import { addLatency, emptyLatency, LatencyHistogram, type LatencyCounts } from './latency-histogram.ts';
import type { OpsReport, OpsSource, PartStats } from './ops-report.ts';
import type { MailboxFigures } from '../mailbox/mailbox.ts';
import type { GroupFigures } from '../groups/group-target.ts';

/** One process's stats share as the relay carries it, with what the dashboard adds to it. */
export interface ProcessOpsShare extends StatsShare {
  /** The process index. */
  id?: number;
  latency?: LatencyCounts;
  /** The shared store's queue as this process last counted it, and the queued pushes its sweeps expired. */
  queue?: MailboxFigures;
  /** The shared store's group count as this process last read it, and the group pushes that landed in it. */
  groups?: GroupFigures;
}

/** The whole server's queue from the processes' shares: they share one store, so its size is counted once (the latest count), expiries add up. */
function queueOf(shares: readonly ProcessOpsShare[]): MailboxFigures | undefined {
  const counted = shares.map((s) => s.queue).filter((q): q is MailboxFigures => q !== undefined);
  if (counted.length === 0) return undefined;
  return { queued: Math.max(...counted.map((q) => q.queued)), expired: counted.reduce((n, q) => n + q.expired, 0) };
}

/** The whole server's group figures from the processes' shares: one store counts the groups once, pushes add up. */
export function groupFiguresOf(shares: readonly ProcessOpsShare[]): GroupFigures {
  const counted = shares.map((s) => s.groups).filter((g): g is GroupFigures => g !== undefined);
  return { groups: Math.max(0, ...counted.map((g) => g.groups)), pushes: counted.reduce((n, g) => n + g.pushes, 0) };
}

/**
 * The local server's figures, from any one of its processes: every process's stats share (its own first),
 * gathered by the relay, each carrying its index and latency (`extra`).
 */
export class RelayedOps implements OpsSource {
  /** This process's push latency; the HTTP routes and the text port observe into it. */
  readonly latency = new LatencyHistogram();
  private readonly self: number;
  private readonly shares: () => Promise<ProcessOpsShare[]>;
  private readonly queue: (() => MailboxFigures) | undefined;
  private readonly groups: (() => GroupFigures) | undefined;

  constructor(self: number, shares: () => Promise<ProcessOpsShare[]>, queue?: () => MailboxFigures, groups?: () => GroupFigures) {
    this.self = self;
    this.shares = shares;
    this.queue = queue;
    this.groups = groups;
  }

  observe(seconds: number, count: number): void {
    this.latency.observe(seconds, count);
  }

  /** What this process adds to its stats share. */
  extra(): { id: number; latency: LatencyCounts; queue?: MailboxFigures; groups?: GroupFigures } {
    return { id: this.self, latency: this.latency.snapshot(), queue: this.queue?.(), groups: this.groups?.() };
  }

  async report(): Promise<OpsReport> {
    // A process that is restarting does not answer: it is left out, as it is from pushes.
    const shares = await this.shares();
    const parts: PartStats[] = shares.map((share, i) => ({ id: share.id ?? i, ...sumStats([share]) }));
    parts.sort((a, b) => a.id - b.id);
    const latency = emptyLatency();
    for (const share of shares) addLatency(latency, share.latency);
    const groups = this.groups ? groupFiguresOf(shares) : undefined;
    return { unit: 'process', parts, total: sumStats(shares), latency, queue: queueOf(shares), ...(groups && { groups }) };
  }
}
