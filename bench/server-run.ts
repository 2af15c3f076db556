import type { BenchServer } from './bench-server.ts';
import { onCleanup } from './cleanup.ts';
import { Deadline } from './deadline.ts';
import type { Figures } from './figures.ts';
import type { BenchOptions } from './flags.ts';
import { heapFigures } from './heap-figures.ts';
import { cpuPerPushUs, measured } from './measured.ts';
import { openFileLimit, rssOf, rssSum } from './proc-stats.ts';
import { register, unregister } from './registration.ts';
import { broadcast } from './scenario-broadcast.ts';
import { groupPush } from './scenario-group.ts';
import { pipelined, requestResponse, type ScenarioContext } from './scenario-pushes.ts';
import { storedForV1, storedWithTtl } from './scenario-stored.ts';
import { tabsPush } from './scenario-tabs.ts';
import { round } from './stats.ts';

/** Starts one server to test (fresh each call). */
export type Launch = () => Promise<BenchServer>;
/** Where each scenario's JSON line goes. */
export type Emit = (line: Record<string, unknown>) => void;

// Lets a fresh server finish its start-up allocations before its idle memory is read.
const SETTLE_MS = 500;
// Sockets this process keeps besides the clients (text connections, stdio, the module loader, …).
const SPARE_FDS = 200;
const MB = 1024 * 1024;
// Clients of the warm-up before the big N's warm baseline (fewer when the big N is smaller).
const WARM_UP_CLIENTS = 1000;

/** Starts a server, hands it to `body`, and always stops it after. */
async function withServer<T>(launch: Launch, body: (server: BenchServer) => Promise<T>): Promise<T> {
  const server = await launch();
  const forget = onCleanup(() => server.stop());
  try {
    return await body(server);
  } finally {
    await server.stop();
    forget();
  }
}

/** Idle memory of a fresh server: the heaviest process, and all of them together. */
async function idleMemory(server: BenchServer): Promise<{ perProcess: number; total: number; processes: number }> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const rss = server.pids().map(rssOf);
  return { perProcess: Math.max(0, ...rss), total: rss.reduce((a, b) => a + b, 0), processes: rss.length };
}

/**
 * The whole workload against one server: idle memory, registration of N clients, pipelined, request-response
 * and broadcast at N; then a fresh server for memory per connection and broadcast at the big client count.
 */
export async function benchServer(launch: Launch, options: BenchOptions, emit: Emit, tag: Record<string, unknown>): Promise<Figures> {
  const scenarioDeadline = () => new Deadline(options.scenarioSeconds * 1000);
  const figures: Figures = { lost: 0, misrouted: 0, clientSaturated: false };
  const note = (scenario: string, result: Record<string, unknown>) => {
    emit({ scenario, ...tag, ...result });
    figures.lost += Number(result.lost ?? 0);
    figures.misrouted += Number(result.misrouted ?? 0) + Number(result.duplicates ?? 0);
    if (result.clientSaturated === true && scenario === 'pipelined') figures.clientSaturated = true;
  };
  await withServer(launch, async (server) => {
    const idle = await idleMemory(server);
    figures.idleRssMB = idle.perProcess / MB;
    note('idle', { processes: idle.processes, idleRssPerProcessMB: round(idle.perProcess / MB, 1), idleRssTotalMB: round(idle.total / MB, 1) });
    const { pool, registration } = await register(server, options.clients, 0, scenarioDeadline());
    try {
      figures.rssAfterRegistrationMB = rssSum(server.pids()) / MB;
      note('registration', { clients: options.clients, ...registration, registrationMs: round(registration.registrationMs, 1), rssMB: round(figures.rssAfterRegistrationMB, 1) });
      const ctx = (): ScenarioContext => ({ server, pool, deadline: scenarioDeadline() });
      if (!options.broadcastOnly && !options.groupOnly) await pushScenarios(ctx, options, figures, note);
      const fan = await measured(server, () => broadcast(ctx(), options.broadcasts));
      [figures.broadcastP50Ms, figures.broadcastP99Ms] = [fan.fanOutP50Ms as number, fan.fanOutP99Ms as number];
      [figures.broadcastCpuPerSocketUs, figures.broadcastKernelPerSocketUs] = [fan.cpuPerSocketUs as number, fan.kernelCpuPerSocketUs as number];
      note('broadcast', fan);
      // The same clients as members of one group: its push writes the sockets the broadcast just wrote.
      if (server.token !== undefined) {
        const group = await measured(server, () => groupPush(ctx(), options.broadcasts));
        [figures.groupP50Ms, figures.groupP99Ms, figures.groupCpuPerSocketUs] = [group.fanOutP50Ms as number, group.fanOutP99Ms as number, group.cpuPerSocketUs as number];
        note('group', { ...group, p50VsBroadcast: round(Number(group.fanOutP50Ms) / Number(fan.fanOutP50Ms), 2) });
      }
      if (options.groupOnly) return;
      if (options.tabs > 0) {
        const tabs = await tabsPush(server, options.tabs, options.tabPushes, scenarioDeadline());
        [figures.tabsP50Ms, figures.tabsP99Ms, figures.tabsCpuPerSocketUs] = [tabs.fanOutP50Ms as number, tabs.fanOutP99Ms as number, tabs.cpuPerSocketUs as number];
        note('tabs', tabs);
      }
      figures.rssAfterRunMB = rssSum(server.pids()) / MB;
      note('memory', { rssAfterRegistrationMB: round(figures.rssAfterRegistrationMB, 1), rssAfterRunMB: round(figures.rssAfterRunMB, 1) });
      // After the memory figures, so the store's rows and cache never count in them.
      if (!options.broadcastOnly) await storedWithTtl(server, pool, options, figures, note, scenarioDeadline());
    } finally {
      pool.close();
    }
    if (!options.broadcastOnly && !options.groupOnly) await storedForV1(server, options, figures, note, scenarioDeadline);
  });
  if (options.groupOnly) return figures;
  await bigClients(launch, options, figures, note, scenarioDeadline);
  return figures;
}

/** Memory per identified connection and broadcast fan-out at the big client count, on a fresh server. */
async function bigClients(launch: Launch, options: BenchOptions, figures: Figures, note: (s: string, r: Record<string, unknown>) => void, deadline: () => Deadline): Promise<void> {
  const n = options.bigClients;
  if (n === 0) return;
  if (openFileLimit() < n + SPARE_FDS) {
    note('big', { skipped: `this process may open ${openFileLimit()} files (ulimit -n); ${n} clients need ${n + SPARE_FDS}: raise it or lower --big-clients` });
    return;
  }
  await withServer(launch, async (server) => {
    const idle = await idleMemory(server);
    // A fresh server pays once, with its first clients, for code paged in, compiled and allocator arenas: a
    // warm-up of the same kind of clients (opened, identified, closed) pays that before the warm baseline.
    const warmUp = await register(server, Math.min(WARM_UP_CLIENTS, n), n, deadline());
    const warmedUp = !warmUp.registration.timedOut && await unregister(server, warmUp.pool, deadline());
    warmUp.pool.close();
    const heapBefore = warmedUp ? await heapFigures(server.pids()) : undefined;
    const warm = await idleMemory(server);
    const { pool, registration } = await register(server, n, 0, deadline());
    try {
      const total = rssSum(server.pids());
      const heapAfter = heapBefore && await heapFigures(server.pids());
      const perConn = (bytes: number | undefined) => (registration.timedOut || bytes === undefined ? undefined : bytes / n);
      const [grown, grownWarm] = [perConn(total - idle.total), perConn(warmedUp ? total - warm.total : undefined)];
      // What the live objects of one connection take after a full collection: the steady figure beside RSS.
      const heap = perConn(heapAfter && heapBefore ? heapAfter.heapUsed + heapAfter.external - heapBefore.heapUsed - heapBefore.external : undefined);
      [figures.rssPerConnKB, figures.warmRssPerConnKB, figures.heapPerConnB] = [grown && grown / 1024, grownWarm && grownWarm / 1024, heap];
      note('big-registration', {
        clients: n, ...registration, registrationMs: round(registration.registrationMs, 1), rssPerConnKB: round((total - idle.total) / n / 1024, 2),
        warmUpClients: warmUp.pool.size, warmRssPerConnKB: grownWarm === undefined ? null : round(grownWarm / 1024, 2), heapPerConnB: heap === undefined ? null : round(heap, 0),
      });
      if (registration.timedOut) return;
      const fan = await measured(server, () => broadcast({ server, pool, deadline: deadline() }, options.bigBroadcasts));
      [figures.bigBroadcastP50Ms, figures.bigBroadcastP99Ms] = [fan.fanOutP50Ms as number, fan.fanOutP99Ms as number];
      [figures.bigBroadcastCpuPerSocketUs, figures.bigBroadcastKernelPerSocketUs] = [fan.cpuPerSocketUs as number, fan.kernelCpuPerSocketUs as number];
      note('big-broadcast', fan);
    } finally {
      pool.close();
    }
  });
}

/** The push workloads at N: a warm-up, pipelined pushes, and request-response pushes. */
async function pushScenarios(ctx: () => ScenarioContext, options: BenchOptions, figures: Figures, note: (s: string, r: Record<string, unknown>) => void): Promise<void> {
  const { server } = ctx();
  // Both servers start cold: without this, the first tenth of the measured pushes (JIT warm-up) set the p99.
  if (options.warmupPushes > 0) note('warm-up', await pipelined(ctx(), options.warmupPushes, options.connections, options.window));
  const pipe = await measured(server, () => pipelined(ctx(), options.pushes, options.connections, options.window));
  figures.cpuPerPushUs = cpuPerPushUs(pipe);
  [figures.kernelCpuPerPushUs, figures.writeSyscallsPerPush] = [pipe.kernelCpuPerPushUs as number | undefined, pipe.writeSyscallsPerPush as number | undefined];
  figures.switchesPerPush = pipe.switchesPerPush as number | undefined;
  figures.pushesPerSec = Number(pipe.pushesPerSec);
  [figures.e2eP50Ms, figures.e2eP99Ms] = [pipe.e2eP50Ms as number, pipe.e2eP99Ms as number];
  note('pipelined', { ...pipe, cpuPerPushUs: figures.cpuPerPushUs === undefined ? null : round(figures.cpuPerPushUs, 2) });
  const rr = await measured(server, () => requestResponse(ctx(), options.rrPushes));
  [figures.rrP50Ms, figures.rrP99Ms] = [rr.rrP50Ms as number, rr.rrP99Ms as number];
  note('request-response', rr);
}
