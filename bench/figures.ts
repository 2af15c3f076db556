/** One server's headline figures from one round; undefined when its scenario did not run or timed out. */
export interface Figures {
  cpuPerPushUs?: number;
  /** The kernel's part of it (system time): mostly the writes the pushes need, whatever the server's code. */
  kernelCpuPerPushUs?: number;
  writeSyscallsPerPush?: number;
  /** Context switches of the server's processes per push: what processes on one core cost each other. */
  switchesPerPush?: number;
  pushesPerSec?: number;
  e2eP50Ms?: number;
  e2eP99Ms?: number;
  rrP50Ms?: number;
  rrP99Ms?: number;
  idleRssMB?: number;
  rssPerConnKB?: number;
  /** The same from the baseline after a warm-up: what each further connection adds, without a fresh server's first-use costs. */
  warmRssPerConnKB?: number;
  /** Live heap (and Buffers outside it) per connection at big N, after a full collection: steadier than RSS. */
  heapPerConnB?: number;
  broadcastP50Ms?: number;
  broadcastP99Ms?: number;
  /** Server CPU per socket a broadcast wrote (µs), and the kernel's part of it: at N and at the big N. */
  broadcastCpuPerSocketUs?: number;
  broadcastKernelPerSocketUs?: number;
  bigBroadcastP50Ms?: number;
  bigBroadcastP99Ms?: number;
  bigBroadcastCpuPerSocketUs?: number;
  bigBroadcastKernelPerSocketUs?: number;
  /** A push to a group whose members are the N clients, timed like the broadcast to the same N, in the same run. */
  groupP50Ms?: number;
  groupP99Ms?: number;
  groupCpuPerSocketUs?: number;
  /** A push to one uid with many tabs, timed until every tab has it. */
  tabsP50Ms?: number;
  tabsP99Ms?: number;
  tabsCpuPerSocketUs?: number;
  rssAfterRegistrationMB?: number;
  rssAfterRunMB?: number;
  /** The pipelined workload stored: every push with a ttl (ttl…), or plain pushes to pushport.v1 clients (v1…). */
  ttlCpuPerPushUs?: number;
  ttlPushesPerSec?: number;
  ttlE2eP50Ms?: number;
  ttlE2eP99Ms?: number;
  v1CpuPerPushUs?: number;
  v1PushesPerSec?: number;
  v1E2eP50Ms?: number;
  v1E2eP99Ms?: number;
  /** Summed over rounds, never a median: one loss is one too many. */
  lost: number;
  misrouted: number;
  /** Whether the load client saturated its core in any round's pipelined scenario. */
  clientSaturated: boolean;
}

function median(values: number[]): number | undefined {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of each figure over rounds (losses summed, saturation if any round saturated). */
export function medianFigures(rounds: Figures[]): Figures {
  const out: Figures = { lost: 0, misrouted: 0, clientSaturated: false };
  for (const round of rounds) {
    out.lost += round.lost;
    out.misrouted += round.misrouted;
    out.clientSaturated ||= round.clientSaturated;
  }
  const keys = new Set(rounds.flatMap((r) => Object.keys(r))) as Set<keyof Figures>;
  for (const key of keys) {
    if (key === 'lost' || key === 'misrouted' || key === 'clientSaturated') continue;
    (out as unknown as Record<string, number | undefined>)[key] = median(rounds.map((r) => r[key] as number));
  }
  return out;
}
