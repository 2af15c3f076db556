import type { BenchServer } from './bench-server.ts';
import type { Deadline } from './deadline.ts';
import type { Figures } from './figures.ts';
import type { BenchOptions } from './flags.ts';
import { cpuPerPushUs, measured } from './measured.ts';
import type { RawWsPool } from './raw-ws-pool.ts';
import { register } from './registration.ts';
import { pipelined } from './scenario-pushes.ts';
import { round } from './stats.ts';

/** Records one scenario's JSON line (and its losses) for the round. */
export type Note = (scenario: string, result: Record<string, unknown>) => void;

/** What every stored push carries in the ttl variant: within RETAIN_SECONDS, so retention is the default. */
const TTL_OPTION = '"ttl":60,';
/**
 * The pushport.v1 clients are `u1000000…`: a uid a v1 client identified as stays marked (every push to it
 * stored) for MARK_SECONDS, so it must never be one of the plain clients' uids (`u0…`, at most 100,000).
 */
const V1_FIRST = 1_000_000;

const SKIPPED = 'the reference server has no store: stored pushes are measured on pushport only';

/** The figures of a stored scenario, with its CPU per push as a ratio to the plain pipelined one of the round. */
function storedFigures(result: Record<string, unknown>, plainUs: number | undefined): { line: Record<string, unknown>; us: number | undefined } {
  const us = cpuPerPushUs(result);
  const cost = us !== undefined && plainUs !== undefined && plainUs > 0 ? us / plainUs : undefined;
  return { line: { ...result, cpuPerPushUs: us === undefined ? null : round(us, 2), storeCostX: cost === undefined ? null : round(cost, 2) }, us };
}

/**
 * The pipelined workload again on the plain clients, every push with `"ttl":60`: each one is stored, gets a
 * seq and is retained (the clients are online, so it is delivered at once and answered `ok`).
 */
export async function storedWithTtl(server: BenchServer, pool: RawWsPool, options: BenchOptions, figures: Figures, note: Note, deadline: Deadline): Promise<void> {
  if (options.storedPushes === 0) return;
  if (!server.stores) return note('stored', { skipped: SKIPPED });
  const result = await measured(server, () => pipelined({ server, pool, deadline }, options.storedPushes, options.connections, options.window, TTL_OPTION));
  const { line, us } = storedFigures(result, figures.cpuPerPushUs);
  [figures.ttlCpuPerPushUs, figures.ttlPushesPerSec] = [us, Number(result.pushesPerSec)];
  [figures.ttlE2eP50Ms, figures.ttlE2eP99Ms] = [result.e2eP50Ms as number, result.e2eP99Ms as number];
  note('stored-ttl', line);
}

/**
 * The pipelined workload with plain pushes to N fresh clients that asked for pushport.v1 (uid in the URL):
 * their uids are marked, so every push is stored and arrives as `<seq> <message>`; the pool strips the seq
 * and counts gaps. Run once the plain clients are closed, so the server holds N clients as before.
 */
export async function storedForV1(server: BenchServer, options: BenchOptions, figures: Figures, note: Note, deadline: () => Deadline): Promise<void> {
  if (options.storedPushes === 0 || !server.stores) return;
  const { pool, registration } = await register(server, options.clients, V1_FIRST, deadline(), 'v1');
  try {
    if (registration.timedOut) return note('stored-v1', { clients: options.clients, ...registration, skipped: 'the pushport.v1 clients did not all register' });
    const [gapsBefore, unstoredBefore] = [pool.seqGaps, pool.unstored];
    const result = await measured(server, () => pipelined({ server, pool, deadline: deadline() }, options.storedPushes, options.connections, options.window));
    const { line, us } = storedFigures(result, figures.cpuPerPushUs);
    [figures.v1CpuPerPushUs, figures.v1PushesPerSec] = [us, Number(result.pushesPerSec)];
    [figures.v1E2eP50Ms, figures.v1E2eP99Ms] = [result.e2eP50Ms as number, result.e2eP99Ms as number];
    note('stored-v1', {
      ...line, seqGaps: pool.seqGaps - gapsBefore, unstored: pool.unstored - unstoredBefore, unsequenced: pool.unsequenced,
      registrationMs: round(registration.registrationMs, 1),
    });
  } finally {
    pool.close();
  }
}
