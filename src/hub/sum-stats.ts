import { zeroCounters, type HubCounters } from './push-tally.ts';
import type { RegistryCounts } from './registry.ts';

/** Whole-hub figures: connection counts and counters. */
export type HubStats = RegistryCounts & HubCounters;

/** Whole-hub figures, all zero: the start of a sum over processes or shards. */
export function emptyStats(): HubStats {
  return { connections: 0, identified: 0, uids: 0, ...zeroCounters() };
}

/** One process's or shard's share of the whole-server figures. */
export interface StatsShare extends HubStats {
  /** The uids online in this share, when another share may hold the same uid (processes, not shards). */
  uidList?: readonly string[];
}

/**
 * Whole-server figures from every share, the one rule for processes and shards alike: counts add up;
 * broadcasts go to every share and each counts them, so the largest count is the server's; a uid online
 * in two shares counts once when they list their uids (shards hold disjoint uids and need not).
 */
export function sumStats(shares: readonly StatsShare[]): HubStats {
  const total = emptyStats();
  let listed: Set<string> | undefined;
  for (const share of shares) {
    total.connections += share.connections;
    total.identified += share.identified;
    total.pushes += share.pushes;
    total.delivered += share.delivered;
    total.failed += share.failed;
    total.queued += share.queued;
    total.broadcasts = Math.max(total.broadcasts, share.broadcasts);
    if (share.uidList) {
      listed ??= new Set();
      for (const uid of share.uidList) listed.add(uid);
    } else {
      total.uids += share.uids;
    }
  }
  if (listed) total.uids += listed.size;
  return total;
}
