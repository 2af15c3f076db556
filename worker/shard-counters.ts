import { PushTally, addLatency, emptyLatency, type HubCounters, type LatencyCounts } from '../src/index.ts';

const countersKey = 'counters';
const latencyKey = 'latency';

/**
 * A shard's counters and the push latency Worker instances hand it, kept through eviction. They are written at
 * most once a second: a storage write on every push would cost more than the push itself.
 */
export class ShardCounters {
  /** Counts what this shard served: it holds every socket of its uids, so its answers are whole. */
  readonly tally: PushTally;
  /** Push latency measured by Worker instances, added up. */
  readonly latency: LatencyCounts;
  private readonly kv: SyncKvStorage;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(kv: SyncKvStorage) {
    this.kv = kv;
    this.tally = new PushTally(kv.get<HubCounters>(countersKey));
    this.latency = addLatency(emptyLatency(), kv.get<LatencyCounts>(latencyKey));
  }

  /** Adds latency a Worker instance measured. */
  addLatency(measured: LatencyCounts): void {
    this.saved(addLatency(this.latency, measured));
  }

  /**
   * Has the counters written within a second, and returns `result` (what just changed them). The pending timer
   * also keeps the object awake until the write is done.
   */
  saved<T>(result: T): T {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.kv.put(countersKey, this.tally.counters);
      this.kv.put(latencyKey, this.latency);
    }, 1000);
    return result;
  }
}
