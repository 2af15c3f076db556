/**
 * `node bench/shared-core.ts [rounds]`: what running several processes on one core costs, apart from the relay.
 * Each round pushes the same pipelined workload (1,000 clients, 200,000 pushes after 20,000 untimed ones) at
 * servers pinned to core 0: pushport count 1; two independent count-1 servers, each with half the clients and
 * half the pushes at once (two processes on the core, no relay between them); pushport count 2 (two processes
 * and the relay); then four independent count-1 servers and count 4 likewise. Per push it prints server CPU, its
 * kernel part, read and write syscalls and context switches. The independent servers' excess over count 1 is the
 * cost of sharing the core; count N's excess over them is the relay's. JSON lines on stdout; progress on stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchServer } from './bench-server.ts';
import type { RawWsPool } from './raw-ws-pool.ts';
import { onCleanup, runBench } from './cleanup.ts';
import { Deadline } from './deadline.ts';
import { pinAndDescribe } from './machine.ts';
import { usageOf, type ProcessUsage } from './proc-stats.ts';
import { startPushport } from './pushport-server.ts';
import { register } from './registration.ts';
import { pipelined } from './scenario-pushes.ts';
import { round } from './stats.ts';

const CLIENTS = 1000;
const PUSHES = 200_000;
const WARMUP = 20_000;
const ROUNDS = Math.max(1, Math.min(20, Number(process.argv[2] ?? 3) || 3));

function perPush(before: ProcessUsage, after: ProcessUsage) {
  return {
    cpuPerPushUs: round(((after.cpuSeconds - before.cpuSeconds) * 1e6) / PUSHES, 2),
    kernelPerPushUs: round(((after.kernelSeconds - before.kernelSeconds) * 1e6) / PUSHES, 2),
    readsPerPush: round((after.readSyscalls - before.readSyscalls) / PUSHES, 4),
    writesPerPush: round((after.writeSyscalls - before.writeSyscalls) / PUSHES, 4),
    switchesPerPush: round((after.switches - before.switches) / PUSHES, 4),
  };
}

/** Servers of `counts` processes each, sharing the clients and the pushes evenly; figures over all of them. */
async function measure(counts: number[], runDir: string) {
  const servers: BenchServer[] = [];
  const forget = onCleanup(async () => void (await Promise.all(servers.map((s) => s.stop()))));
  try {
    for (const count of counts) servers.push(await startPushport(count, runDir, true));
    const deadline = () => new Deadline(120_000);
    const pools: RawWsPool[] = [];
    for (const server of servers) pools.push((await register(server, CLIENTS / servers.length, 0, deadline())).pool);
    const all = (total: number) => Promise.all(servers.map((server, i) =>
      pipelined({ server, pool: pools[i]!, deadline: deadline() }, total / servers.length, 4 / servers.length, 1000 / servers.length)));
    await all(WARMUP);
    const pids = () => servers.flatMap((s) => s.pids());
    const before = usageOf(pids());
    const results = await all(PUSHES);
    const figures = perPush(before, usageOf(pids()));
    for (const pool of pools) pool.close();
    return { ...figures, lost: results.reduce((sum, r) => sum + Number(r.lost ?? 0), 0) };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    forget();
  }
}

await runBench(async () => {
  const machine = pinAndDescribe();
  if (!machine.pinned) throw new Error(`needs two cores and taskset (${machine.pinning})`);
  console.log(JSON.stringify(machine));
  const runDir = mkdtempSync(join(tmpdir(), 'pushport-shared-core-'));
  onCleanup(() => rmSync(runDir, { recursive: true, force: true }));
  for (let r = 1; r <= ROUNDS; r++) {
    const servers = [['count 1', [1]], ['two count-1 servers', [1, 1]], ['count 2', [2]], ['four count-1 servers', [1, 1, 1, 1]], ['count 4', [4]]] as const;
    for (const [name, counts] of servers) {
      console.error(`bench: round ${r}/${ROUNDS}: ${name}`);
      console.log(JSON.stringify({ scenario: 'shared-core', round: r, server: name, ...(await measure([...counts], runDir)) }));
    }
  }
});
