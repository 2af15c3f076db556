import { httpPushes, type EdgeContext } from './edge-scenarios.ts';
import { cpuShares, InspectorProfiler } from './inspector-profile.ts';
import { round } from './stats.ts';

/**
 * `/push/batch` again, under the CPU profiler of wrangler dev's inspector: where the isolate's busy time goes
 * per push, and how much of it is the runtime's `send` against the script's own JavaScript. Its rate is not a
 * figure of the bench (sampling slows the isolate); a profiler that cannot attach is reported, not fatal.
 */
export async function profileBatchPush(inspector: number, ctx: EdgeContext, pushes: number, batch: number, sendMs: number, print: (line: object) => void): Promise<Record<string, number> | undefined> {
  let profiler: InspectorProfiler | undefined;
  try {
    profiler = await InspectorProfiler.attach(inspector);
    await profiler.start();
    const run = await httpPushes(ctx, pushes, batch, 2, 2, sendMs);
    const shares = cpuShares(await profiler.stop());
    const delivered = Number(run.pushes) - Number(run.lost);
    const cpuUsPerPush = delivered > 0 ? (shares.busyMs * 1000) / delivered : 0;
    print({
      scenario: 'edge-push-batch-profile', pushes: run.pushes, lost: run.lost, pushesPerSecProfiled: run.pushesPerSec, busyMs: round(shares.busyMs, 1),
      cpuUsPerPush: round(cpuUsPerPush, 2), sendShare: round(shares.sendShare, 3), scriptShare: round(shares.scriptShare, 3),
      runtimeShare: round(shares.runtimeShare, 3), programShare: round(shares.programShare, 3), gcShare: round(shares.gcShare, 3),
      top: shares.top.map((t) => ({ ...t, ms: round(t.ms, 1), share: round(t.share, 3) })),
    });
    return { cpuUsPerPush, sendShare: shares.sendShare, scriptShare: shares.scriptShare, runtimeShare: shares.runtimeShare, programShare: shares.programShare, gcShare: shares.gcShare };
  } catch (error) {
    print({ scenario: 'edge-push-batch-profile-failed', reason: error instanceof Error ? error.message : String(error) });
    return undefined;
  } finally {
    profiler?.close();
  }
}
