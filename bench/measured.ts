import type { BenchServer } from './bench-server.ts';
import { usageOf } from './proc-stats.ts';
import { round } from './stats.ts';

// The load client counts as saturated from this share of one core.
const SATURATED = 0.9;

/** Runs `scenario`, with the server's CPU (all processes) and the load client's own CPU over its wall time. */
export async function measured(server: BenchServer, scenario: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const [before, clientCpu, wall] = [usageOf(server.pids()), process.cpuUsage(), performance.now()];
  const figures = await scenario();
  const wallSeconds = (performance.now() - wall) / 1000;
  const ownSeconds = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(clientCpu));
  const after = usageOf(server.pids());
  const serverSeconds = after.cpuSeconds - before.cpuSeconds;
  const kernelSeconds = after.kernelSeconds - before.kernelSeconds;
  const pushes = Number(figures.pushes) || 0;
  return {
    ...figures, serverCpuSeconds: round(serverSeconds, 2), serverCpuPct: round((serverSeconds / wallSeconds) * 100, 1),
    serverKernelShare: serverSeconds > 0 ? round(kernelSeconds / serverSeconds, 2) : null,
    ...(pushes > 0 ? {
      kernelCpuPerPushUs: round((kernelSeconds * 1e6) / pushes, 2),
      writeSyscallsPerPush: round((after.writeSyscalls - before.writeSyscalls) / pushes, 3),
      switchesPerPush: round((after.switches - before.switches) / pushes, 3),
    } : {}),
    clientCpuPct: round((ownSeconds / wallSeconds) * 100, 1), clientSaturated: ownSeconds / wallSeconds >= SATURATED,
  };
}

/** Server CPU per push in µs from a measured push scenario's figures; undefined when none was sent. */
export function cpuPerPushUs(figures: Record<string, unknown>): number | undefined {
  const pushes = Number(figures.pushes);
  return pushes > 0 ? (Number(figures.serverCpuSeconds) * 1e6) / pushes : undefined;
}
