/**
 * `npm run bench` (= `node bench/run.ts`): pushport against the reference server, side by side in one run.
 *
 * Each round runs the same workload against the reference (`bench/reference-server.ts`) and against
 * pushport at each --counts setting, in turn (reference, c1, c2, c4, then again): idle memory; N raw WebSocket
 * clients registering; M pushes pipelined through K text connections (window W in total) to random online
 * uids; R request-response pushes; B broadcasts to all N, with the server's CPU per socket written; P pushes to
 * one uid held by T tabs; on pushport only (the reference has no store), the pipelined workload again with every
 * push stored: each with a ttl, then plain to N pushport.v1 clients; then, on a fresh server, memory per
 * connection and BB broadcasts at the big client count; after each broadcast at N, on pushport, B pushes to a
 * group whose members are the same N clients. --broadcast-only keeps only the fan-outs (and memory);
 * --group-only only pushport's broadcast and group push at N.
 * Server on core 0, this load client on core 1 (taskset).
 * stdout: JSON lines (the machine first, one per scenario), a JSON line of medians per server, then a table of
 * every figure next to its goal from issue 7. Progress goes to stderr. A bad flag prints one line and exits 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchServer } from './bench-server.ts';
import { onCleanup, runCleanup } from './cleanup.ts';
import { floorTable } from './edge-floor.ts';
import { edgeTable, runEdge } from './edge.ts';
import { medianFigures, type Figures } from './figures.ts';
import { FlagError, parseFlags, USAGE } from './flags.ts';
import { goalsTable } from './goals-table.ts';
import { pinAndDescribe } from './machine.ts';
import { startPushport } from './pushport-server.ts';
import { startReference } from './reference-launcher.ts';
import { benchServer } from './server-run.ts';
import { storeTable } from './store-table.ts';
import { round } from './stats.ts';

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
    console.log(USAGE);
    return 0;
  }
  const machine = pinAndDescribe();
  const { help: _, ...used } = options;
  print({ ...machine, options: used });
  const runDir = mkdtempSync(join(tmpdir(), 'pushport-bench-'));
  onCleanup(() => rmSync(runDir, { recursive: true, force: true }));
  const servers: Array<[string, () => Promise<BenchServer>]> = [
    // --group-only measures pushport against itself: the reference has no groups.
    ...(options.groupOnly ? [] : [['reference', () => startReference(machine.pinned)] as [string, () => Promise<BenchServer>]]),
    ...options.counts.map((count) => [`pushport c${count}`, () => startPushport(count, runDir, machine.pinned)] as [string, () => Promise<BenchServer>]),
  ];
  const rounds = new Map<string, Figures[]>(servers.map(([name]) => [name, []]));
  let failed = false;
  for (let run = 1; run <= options.runs; run++) {
    for (const [name, launch] of servers) {
      progress(`round ${run}/${options.runs}: ${name}`);
      try {
        rounds.get(name)!.push(await benchServer(launch, options, print, { server: name, run }));
      } catch (error) {
        failed = true;
        print({ scenario: 'error', server: name, run, error: message(error) });
      }
    }
  }
  const medians = new Map([...rounds].map(([name, figures]) => [name, medianFigures(figures)]));
  for (const [name, figures] of medians) {
    print({ scenario: 'median', server: name, rounds: rounds.get(name)!.length, ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, typeof v === 'number' ? round(v, 3) : v])) });
  }
  let edge: Awaited<ReturnType<typeof runEdge>> = false;
  if (options.edge) {
    edge = await runEdge(options, print, progress).catch((error: unknown) => {
      print({ scenario: 'error', server: 'edge', error: message(error) });
      return false as const;
    });
    failed ||= !edge;
  }
  process.stdout.write(`\n${goalsTable(medians, options.counts, options.runs)}\n`);
  const stored = storeTable(medians);
  if (stored) process.stdout.write(`\n${stored}\n`);
  process.stdout.write(`Machine: ${machine.cpus.model}, ${machine.cpus.count} cores, ${machine.pinned ? 'server on core 0, load client on core 1' : `not pinned (${machine.pinning})`}; `
    + `load average ${machine.loadAverage.join(' / ')} at the start, ${loadavg().map((l) => l.toFixed(2)).join(' / ')} at the end (above ${machine.cpus.count}: others were busy, trust CPU per push over rates).\n`);
  if (edge) process.stdout.write(`\n${edgeTable(edge, medians.get('pushport c1') as Record<string, number | undefined> | undefined)}\n\n${floorTable(edge)}\n`);
  return failed ? 1 : 0;
}

// Ctrl+C (or a kill) still stops the servers, closes the sockets and removes the temp dir.
for (const signalName of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signalName, () => {
    progress(`${signalName}: stopping the servers and cleaning up`);
    void runCleanup().finally(() => process.exit(130));
  });
}

main(process.argv.slice(2)).then(async (code) => {
  await runCleanup();
  process.exit(code);
}, async (error: unknown) => {
  console.error(`bench: ${message(error)}`);
  await runCleanup();
  process.exit(1);
});
