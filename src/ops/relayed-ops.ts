import { sumStats, type StatsShare } from '../hub/sum-stats.ts';
import { addLatency, emptyLatency, LatencyHistogram, type LatencyCounts } from './latency-histogram.ts';
import type { OpsReport, OpsSource, PartStats } from './ops-report.ts';

/** One process's stats share as the relay carries it, with what the dashboard adds to it. */
export interface ProcessOpsShare extends StatsShare {
  /** The process index. */
  id?: number;
  latency?: LatencyCounts;
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

  constructor(self: number, shares: () => Promise<ProcessOpsShare[]>) {
    this.self = self;
    this.shares = shares;
  }

  observe(seconds: number, count: number): void {
    this.latency.observe(seconds, count);
  }

  /** What this process adds to its stats share. */
  extra(): { id: number; latency: LatencyCounts } {
    return { id: this.self, latency: this.latency.snapshot() };
  }

  async report(): Promise<OpsReport> {
    // A process that is restarting does not answer: it is left out, as it is from pushes.
    const shares = await this.shares();
    const parts: PartStats[] = shares.map((share, i) => ({ id: share.id ?? i, ...sumStats([share]) }));
    parts.sort((a, b) => a.id - b.id);
    const latency = emptyLatency();
    for (const share of shares) addLatency(latency, share.latency);
    return { unit: 'process', parts, total: sumStats(shares), latency };
  }
}
