import { LatencyHistogram, sumStats, type OpsReport, type OpsSource } from '../src/index.ts';
import type { ShardedTarget } from './sharded-target.ts';

// A Worker instance times its own requests. It hands what it measured to shard 0 at most once a second, so
// the latency outlives the instance and every instance's share adds up, without an extra RPC per push.
const measured = new LatencyHistogram();
let lastHandOver = 0;
const handOverMs = 1000;

/** The edge's figures: every shard's counters, and the push latency the Worker instances measured. */
export class ShardOps implements OpsSource {
  private readonly target: ShardedTarget;
  private readonly waitUntil: (work: Promise<unknown>) => void;

  /** `waitUntil` keeps a hand-over running after the response has gone. */
  constructor(target: ShardedTarget, waitUntil: (work: Promise<unknown>) => void) {
    this.target = target;
    this.waitUntil = waitUntil;
  }

  observe(seconds: number, count: number): void {
    measured.observe(seconds, count);
    if (Date.now() - lastHandOver >= handOverMs) this.waitUntil(this.handOver());
  }

  async report(): Promise<OpsReport> {
    // This instance's latest figures first, so a scrape right after a push sees it.
    await this.handOver();
    // One call per shard (through the fan-out tree past FAN_OUT shards) brings its stats, latency and queue.
    const { parts, latency, queue, groups } = await this.target.figures();
    return { unit: 'shard', parts: parts.map((s, id) => ({ id, ...s })), total: sumStats(parts), latency, queue, groups };
  }

  private async handOver(): Promise<void> {
    lastHandOver = Date.now();
    const taken = measured.take();
    if (taken.count === 0) return;
    try {
      await this.target.stub(0).addLatency(taken);
    } catch (error) {
      // Kept for the next hand-over rather than lost with a failed call.
      measured.add(taken);
      console.error('pushport: could not hand push latency to shard 0', error);
    }
  }
}
