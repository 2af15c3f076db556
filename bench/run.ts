/**
 * `npm run bench` (= `node bench/run.ts`): pushport's throughput, latency and memory, measured from the outside.
 *
 * For each server process count (default 1, then 2) it starts `pushport start -d` in a temp run dir, connects
 * N WebSocket clients (uids u0…u(N−1)) and runs three scenarios against them:
 *   pipelined         M pushes over K text-port connections, each keeping at most W lines outstanding
 *   request-response  one text-port connection, one line at a time (min(M, 10,000) pushes)
 *   broadcast         POST /broadcast B times in a row, each timed until all N clients have it
 * and prints one JSON line per scenario: pushesPerSec (deliveries per second, from the first line or POST to the
 * last reply or arrival), p50Ms/p99Ms (end to end, from the line being written to its arrival at the client;
 * for broadcast, each broadcast's time until every client had it), registrationMs (connects until /stats
 * counts N identified), rssPerConnectionBytes (RSS growth of all server processes / N), okRatio (`ok` replies /
 * pushes; reported, never asserted), timedOut, and serverCpuPct/benchCpuPct (which side was saturated).
 * The first line describes the machine; the last gives count2/count1 ratios of pushesPerSec: on a shared
 * machine only ratios measured in one run mean anything, not absolute figures.
 * Where `taskset` exists and there are 2+ cores, the server runs on core 0 and the bench on the others.
 *
 *   node bench/run.ts [--quick] [--clients N] [--pushes M] [--rr-pushes R] [--connections K] [--window W]
 *                     [--counts 1,2] [--broadcasts B] [--deadline-seconds S]
 *
 * Defaults: N 1000, M 50000, K 4, W 256, counts 1,2, B 20, S 120 (the budget of each count setting).
 * --quick: N 200, M 5000, B 5, for a smoke run. A bad flag prints one line and exits 2. Progress goes to stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup, runCleanup } from './cleanup.ts';
import { ClientPool } from './clients.ts';
import { Deadline } from './deadline.ts';
import { FlagError, parseFlags, type BenchOptions } from './flags.ts';
import { pinAndDescribe } from './machine.ts';
import { scenarios } from './scenarios.ts';
import { startServer } from './server.ts';
import { ratio, round } from './stats.ts';

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A scenario's throughput, and whether it was cut short (its ratio then compares unlike runs). */
type Rate = { pushesPerSec: number; timedOut: boolean };

/** One count setting: start the server, connect the clients, run every scenario; returns each one's rate. */
async function benchCount(count: number, options: BenchOptions, runDir: string, pinned: boolean): Promise<Map<string, Rate>> {
  const rates = new Map<string, Rate>();
  const deadline = new Deadline(options.deadlineSeconds * 1000);
  progress(`count ${count}: starting the server`);
  const server = await startServer(count, runDir, pinned);
  const forget = onCleanup(() => server.stop());
  try {
    const rssBefore = server.rssBytes();
    progress(`count ${count}: connecting ${options.clients} clients`);
    const { pool, registration } = await ClientPool.connect(server.port, options.clients, deadline);
    try {
      const common = {
        registrationMs: round(registration.registrationMs, 1),
        rssPerConnectionBytes: round((server.rssBytes() - rssBefore) / options.clients),
      };
      const registrationTrouble = {
        ...(registration.timedOut ? { registrationTimedOut: true, identified: registration.identified } : {}),
        ...(registration.connectErrors ? { connectErrors: registration.connectErrors } : {}),
      };
      for (const [name, scenario] of Object.entries(scenarios)) {
        if (deadline.passed()) {
          print({ scenario: name, count, clients: options.clients, ...common, timedOut: true, skipped: 'the deadline passed before it started' });
          continue;
        }
        progress(`count ${count}: ${name}`);
        const [serverCpu, ownCpu, wallStart] = [server.cpuSeconds(), process.cpuUsage(), performance.now()];
        const { scenario: _, pushes, pushesPerSec, p50Ms, p99Ms, okRatio, timedOut, ...rest } = await scenario({ server, pool, options, deadline });
        const wallSeconds = (performance.now() - wallStart) / 1000;
        const own = process.cpuUsage(ownCpu);
        rates.set(name, { pushesPerSec, timedOut });
        print({
          scenario: name, count, clients: options.clients, pushes, pushesPerSec, p50Ms, p99Ms, ...common, okRatio, timedOut, ...rest,
          // Which side was busy: near 100 on one side means that side is the bottleneck.
          serverCpuPct: round(((server.cpuSeconds() - serverCpu) / wallSeconds) * 100, 1),
          benchCpuPct: round(((own.user + own.system) / 1e6 / wallSeconds) * 100, 1),
          ...registrationTrouble,
          ...(pool.dropped ? { droppedClients: pool.dropped } : {}),
          ...(pool.stray ? { strayMessages: pool.stray } : {}),
        });
      }
    } finally {
      pool.close();
    }
  } finally {
    progress(`count ${count}: stopping the server`);
    await server.stop();
    forget();
  }
  return rates;
}

async function main(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseFlags>;
  try {
    options = parseFlags(args);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    console.error(`bench: ${error.message}`);
    return 2;
  }
  if (options.help) {
    console.log('usage: node bench/run.ts [--quick] [--clients N] [--pushes M] [--rr-pushes R] [--connections K] [--window W] [--counts 1,2] [--broadcasts B] [--deadline-seconds S]');
    return 0;
  }
  const machine = pinAndDescribe();
  const { help: _, ...used } = options;
  print({ ...machine, options: used });
  const runDir = mkdtempSync(join(tmpdir(), 'pushport-bench-'));
  onCleanup(() => rmSync(runDir, { recursive: true, force: true }));
  const rates = new Map<number, Map<string, Rate>>();
  let failed = false;
  try {
    for (const count of options.counts) {
      try {
        rates.set(count, await benchCount(count, options, runDir, machine.pinned));
      } catch (error) {
        failed = true;
        print({ scenario: 'error', count, error: message(error) });
      }
    }
  } finally {
    await runCleanup();
  }
  const [first, ...others] = options.counts;
  for (const count of others) {
    const [base, other] = [rates.get(first!), rates.get(count)];
    const line: Record<string, unknown> = { scenario: 'ratio', of: `count${count}/count${first}`, metric: 'pushesPerSec' };
    const cutShort: string[] = [];
    for (const name of Object.keys(scenarios)) {
      const [a, b] = [other?.get(name), base?.get(name)];
      // Null when either side never ran, as JSON has no NaN.
      line[name] = a && b ? ratio(a.pushesPerSec, b.pushesPerSec) : null;
      if (a?.timedOut || b?.timedOut) cutShort.push(name);
    }
    print(cutShort.length ? { ...line, timedOut: cutShort } : line);
  }
  return failed ? 1 : 0;
}

// Ctrl+C (or a kill) still stops the servers, closes the sockets and removes the temp dir.
for (const signalName of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signalName, () => {
    progress(`${signalName}: stopping the servers and cleaning up`);
    void runCleanup().finally(() => process.exit(130));
  });
}

main(process.argv.slice(2)).then((code) => process.exit(code), async (error: unknown) => {
  console.error(`bench: ${message(error)}`);
  await runCleanup();
  process.exit(1);
});
