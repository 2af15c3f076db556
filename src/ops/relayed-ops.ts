import type { Hub } from '../hub/hub.ts';
import type { PushSocket } from '../hub/push-socket.ts';
import { mergeStats, processStats, type ProcessStats, type Relay } from '../relay/hub-request.ts';
import { addLatency, emptyLatency, LatencyHistogram, type LatencyCounts } from './latency-histogram.ts';
import type { OpsReport, OpsSource, PartStats } from './ops-report.ts';

/** One process's answer to the relay's `stats` request, with what the dashboard adds to it. */
export interface ProcessOpsStats extends ProcessStats {
  /** The process index. */
  id?: number;
  latency?: LatencyCounts;
}

/**
 * The local server's figures, from any one of its processes: its own, plus every other process's through
 * the relay's `stats` request (which each process answers with `answerStats`).
 */
export class RelayedOps<S extends PushSocket = PushSocket> implements OpsSource {
  /** This process's push latency; the HTTP routes and the text port observe into it. */
  readonly latency = new LatencyHistogram();
  private readonly hub: Hub<S>;
  private readonly relay: Relay;
  private readonly self: number;

  constructor(hub: Hub<S>, relay: Relay, self: number) {
    this.hub = hub;
    this.relay = relay;
    this.self = self;
  }

  observe(seconds: number, count: number): void {
    this.latency.observe(seconds, count);
  }

  /** This process's share, as it answers a peer's `stats` request. */
  answerStats(): ProcessOpsStats {
    return { ...processStats(this.hub), id: this.self, latency: this.latency.snapshot() };
  }

  async report(): Promise<OpsReport> {
    // A process that is restarting does not answer: it is left out, as it is from pushes.
    const shares = [this.answerStats(), ...((await this.relay.ask({ op: 'stats' })) as ProcessOpsStats[])];
    const parts: PartStats[] = shares.map((share, i) => ({ id: share.id ?? i, ...mergeStats([share]) }));
    parts.sort((a, b) => a.id - b.id);
    const latency = emptyLatency();
    for (const share of shares) addLatency(latency, share.latency);
    return { unit: 'process', parts, total: mergeStats(shares), latency };
  }
}
