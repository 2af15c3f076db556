import { floorLines, requestRate } from './edge-floor.ts';
import { httpPushes, type EdgeContext } from './edge-scenarios.ts';
import { cpuShares, InspectorProfiler, rootedUs, type CpuProfile } from './inspector-profile.ts';
import { usageOf } from './proc-stats.ts';
import { percentile, round } from './stats.ts';

/** pushport's CPU per push beside the floor's, and where pushport's goes. */
export interface ProfileFigures {
  /** CPU time of the Worker's workerd process per push (Worker and object): pushport's `/push/batch`, and the bare object sending each line. */
  cpuUsPerPush: number;
  floorCpuUsPerPush: number;
  /** The part of pushport's CPU per push above the floor's: pushport's own share. */
  pushportShare: number;
  /** From the profile (absent when it could not be taken): the object's JavaScript per push, its sends included. */
  objectUsPerPush?: number;
  sendShare?: number;
  scriptShare?: number;
  runtimeShare?: number;
  programShare?: number;
  gcShare?: number;
}

/** Where the figures come from: the inspector, the process whose CPU time counts, and the bench's clients. */
export interface ProfileTarget {
  inspector: number;
  isolatePid: number;
  ctx: () => EdgeContext;
}

const median = (values: number[]) => (values.length === 0 ? 0 : percentile(Float64Array.from(values).sort(), 50));
const per = (us: number, n: number) => (n > 0 ? us / n : 0);

// CPU seconds the process spends while `load` runs (all its threads, user and kernel).
async function cpuOf<T>(pid: number, load: () => Promise<T>): Promise<[T, number]> {
  const before = usageOf([pid]).cpuSeconds;
  const result = await load();
  return [result, usageOf([pid]).cpuSeconds - before];
}

/**
 * pushport's share of the CPU of a `/push/batch` push: `rounds` alternate pushport's `/push/batch` with the floor's
 * bare object taking the same bodies and sending each line (`/floor/batch-send`, its clients already connected) for
 * as long, each timed by the CPU time of workerd's process (not the wall clock, so other work on the machine does
 * not count), and the share is what pushport's CPU per push has above the floor's, as a median. Then one more
 * `/push/batch` under the inspector's CPU profiler says where pushport's time goes. A profiler that cannot attach
 * is reported, not fatal: the CPU figures are answered without it.
 */
export async function profileBatchPush(target: ProfileTarget, pushes: number, batch: number, rounds: number, print: (line: object) => void): Promise<ProfileFigures> {
  const { ctx, isolatePid } = target;
  const lines = floorLines(batch, ctx().pool.size);
  const [own, floor]: [number[], number[]] = [[], []];
  for (let i = 0; i < rounds; i++) {
    const [run, cpu] = await cpuOf(isolatePid, () => httpPushes(ctx(), pushes, batch, 2, 2, 60_000));
    const load = { connections: 2, depth: 2, sendMs: Number(run.elapsedMs) };
    const [bare, floorCpu] = await cpuOf(isolatePid, () => requestRate(ctx().port, ctx().token, 'POST', '/floor/batch-send', () => lines, load, ctx().deadline));
    own.push(per(cpu * 1e6, Number(run.pushes) - Number(run.lost)));
    floor.push(per(floorCpu * 1e6, Number(bare.requests) * batch));
    print({ scenario: 'edge-push-batch-cpu', round: i, pushes: run.pushes, lost: run.lost, cpuUsPerPush: round(own[i]!, 1), floorLines: Number(bare.requests) * batch, floorErrors: bare.errors, floorCpuUsPerPush: round(floor[i]!, 1) });
  }
  const [cpuUsPerPush, floorCpuUsPerPush] = [median(own), median(floor)];
  const pushportShare = cpuUsPerPush > 0 ? Math.max(0, 1 - floorCpuUsPerPush / cpuUsPerPush) : 0;
  let profiler: InspectorProfiler | undefined;
  try {
    profiler = await InspectorProfiler.attach(target.inspector);
    await profiler.start();
    const run = await httpPushes(ctx(), pushes, batch, 2, 2, 60_000);
    const profile: CpuProfile = await profiler.stop();
    const shares = cpuShares(profile);
    const objectUsPerPush = per(rootedUs(profile, 'pushMany'), Number(run.pushes) - Number(run.lost));
    const figures: ProfileFigures = {
      cpuUsPerPush, floorCpuUsPerPush, pushportShare, objectUsPerPush,
      sendShare: shares.sendShare, scriptShare: shares.scriptShare, runtimeShare: shares.runtimeShare, programShare: shares.programShare, gcShare: shares.gcShare,
    };
    print({
      scenario: 'edge-push-batch-profile', pushes: run.pushes, lost: run.lost, pushesPerSecProfiled: run.pushesPerSec, busyMs: round(shares.busyMs, 1),
      ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v ?? 0, 3)])),
      top: shares.top.map((t) => ({ ...t, ms: round(t.ms, 1), share: round(t.share, 3) })),
    });
    return figures;
  } catch (error) {
    print({ scenario: 'edge-push-batch-profile-failed', reason: error instanceof Error ? error.message : String(error) });
    return { cpuUsPerPush, floorCpuUsPerPush, pushportShare };
  } finally {
    profiler?.close();
  }
}
