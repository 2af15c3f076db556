/**
 * Upper bounds of the push latency buckets in seconds, 0.1 ms to 1 s. Fixed, so the histograms of every
 * process and shard add up bucket by bucket.
 */
export const latencyBounds: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** A latency histogram as plain data: per-bucket counts (not cumulative; the last one is above every bound), sum and count. */
export interface LatencyCounts {
  buckets: number[];
  sum: number;
  count: number;
}

/** A histogram with nothing observed: the start of a sum over processes or shards. */
export function emptyLatency(): LatencyCounts {
  return { buckets: new Array<number>(latencyBounds.length + 1).fill(0), sum: 0, count: 0 };
}

/** Adds `more` into `into` and returns `into`; a malformed share (from an older peer) adds nothing. */
export function addLatency(into: LatencyCounts, more: LatencyCounts | undefined): LatencyCounts {
  if (!more || !Array.isArray(more.buckets) || more.buckets.length !== into.buckets.length) return into;
  more.buckets.forEach((n, i) => (into.buckets[i]! += n));
  into.sum += more.sum;
  into.count += more.count;
  return into;
}

/**
 * Counts pushes by how long they took. One observation stands for `count` pushes that took `seconds`
 * together (a text-port chunk, an HTTP request), so the hot path pays one call per chunk, not per push.
 */
export class LatencyHistogram {
  private counts = emptyLatency();

  /** Records `count` pushes that were answered `seconds` after they arrived. */
  observe(seconds: number, count = 1): void {
    if (!(count > 0)) return;
    const s = seconds > 0 ? seconds : 0;
    let i = 0;
    while (i < latencyBounds.length && s > latencyBounds[i]!) i++;
    this.counts.buckets[i]! += count;
    this.counts.sum += s * count;
    this.counts.count += count;
  }

  /** Adds counts observed elsewhere (or handed back after a failed hand-over). */
  add(counts: LatencyCounts): void {
    addLatency(this.counts, counts);
  }

  /** A copy of what has been observed. */
  snapshot(): LatencyCounts {
    return { buckets: [...this.counts.buckets], sum: this.counts.sum, count: this.counts.count };
  }

  /** What has been observed since the last take, and starts again from zero (for handing deltas on). */
  take(): LatencyCounts {
    const taken = this.counts;
    this.counts = emptyLatency();
    return taken;
  }
}
