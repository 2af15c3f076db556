// The soak: `npm run soak -- --seconds 60`. A real push server at count 2, 2,000 clients that leave and come
// back at random, and a steady stream of pushes through the text port. It fails on any false `ok` (an `ok`
// whose push never reached the connection it was delivered to), a line left without its reply, or server RSS
// over the bound; it prints a summary either way. Not part of `npm test`: it runs for as long as it is told.
// First, the WebSocket layer's differential test against `ws` runs with `--wire-runs` runs (0 skips it) and a
// fresh seed, where `npm test` runs a few hundred with a fixed one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { askMaster } from '../emulator/cli/control-client.ts';
import { socketPath } from '../emulator/run-paths.ts';
import { DeliveryAudit, type TrackedLine } from './delivery-audit.ts';
import { freePort } from './free-port.ts';

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '60' },
  clients: { type: 'string', default: '2000' },
  rate: { type: 'string', default: '1000' },
  'wire-runs': { type: 'string', default: '20000' },
} });
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const rate = Number(values.rate);
const wireRuns = Number(values['wire-runs']);
if (![seconds, clients, rate].every((n) => Number.isSafeInteger(n) && n > 0) || !Number.isSafeInteger(wireRuns) || wireRuns < 0) {
  console.error('soak: --seconds, --clients and --rate take positive whole numbers, --wire-runs a whole number');
  process.exit(2);
}

/** Each server process must stay under this resident size, whatever the run's length. */
const RSS_BOUND_BYTES = 256 * 1024 * 1024;
/** Share of the ready clients that leave (and come back) each second. */
const CHURN_PER_SECOND = 0.02;
const TEXT_CONNECTIONS = 4;

const root = resolve(import.meta.dirname, '..');
const runDir = mkdtempSync(join(tmpdir(), 'pushport-soak-'));
const [port, textPort] = [await freePort(), await freePort()];
const env = { ...process.env, PUSHPORT_RUN_DIR: runDir, PUSH_TOKEN: 'soak' };
const pushport = (...args: string[]) => execFileSync(process.execPath, ['bin/pushport.ts', ...args, '--port', String(port)], { cwd: root, env, stdio: 'pipe' });
const control = socketPath(join(runDir, `pushport-${port}.sock`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function serverRss(): Promise<number[]> {
  const reply = await askMaster<{ status: { processes: Array<{ memory?: number }> } }>(control, { cmd: 'status' }, 5000);
  return reply.status.processes.map((p) => p.memory ?? 0);
}

if (wireRuns > 0) {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const file = 'test/emulator/websocket/differential.property.test.ts';
  try {
    execFileSync(process.execPath, [vitest, 'run', '--project', 'node', file], { cwd: root, env: { ...process.env, WS_DIFF_RUNS: String(wireRuns) }, stdio: 'inherit' });
  } catch {
    rmSync(runDir, { recursive: true, force: true });
    console.error(`soak: FAIL\n  - the WebSocket differential test found a difference in ${wireRuns} runs (its seed is printed above)`);
    process.exit(1);
  }
}

pushport('start', '-d', '--count', '2', '--text-port', String(textPort));
const audit = new DeliveryAudit(`ws://127.0.0.1:${port}`, textPort);
let failed: string[] = [];
const rss = { start: [] as number[], peak: 0, end: [] as number[] };
let reconnects = 0;
try {
  // Connect in steps, so the listen backlog never overflows.
  for (let i = 0; i < clients; i += 200) {
    audit.connectClients(Math.min(clients, i + 200), i);
    for (let t = 0; t < 200 && audit.ready() < Math.min(clients, i + 200); t++) await sleep(50);
  }
  if (audit.ready() < clients) throw new Error(`only ${audit.ready()} of ${clients} clients connected`);
  rss.start = await serverRss();

  const lines: TrackedLine[] = Array.from({ length: TEXT_CONNECTIONS }, () => audit.openLine());
  // Paced by the clock, not by timer ticks, so the rate holds however late the timers fire.
  const startedAt = Date.now();
  const endAt = startedAt + seconds * 1000;
  let nextSecond = startedAt + 1000;
  for (let sent = 0, tick = 0; Date.now() < endAt && tick < seconds * 1000; tick++) {
    const due = Math.floor(((Date.now() - startedAt) * rate) / 1000);
    for (; sent < due; sent++) {
      const i = sent % lines.length;
      if (lines[i]!.closed) lines[i] = audit.openLine();
      audit.send(lines[i]!, clients);
    }
    if (Date.now() >= nextSecond) {
      nextSecond += 1000;
      reconnects += audit.churn(CHURN_PER_SECOND);
      rss.peak = Math.max(rss.peak, ...(await serverRss()));
    }
    await sleep(10);
  }
  // Let the last replies and deliveries arrive (bounded).
  for (let t = 0; t < 100 && (audit.unanswered() > 0 || audit.undelivered().length > 0); t++) await sleep(100);
  rss.end = await serverRss();
  rss.peak = Math.max(rss.peak, ...rss.end);
} catch (error) {
  failed.push(`soak could not run: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  audit.stop();
  try { pushport('stop'); } catch { failed.push('the server did not stop cleanly'); }
  rmSync(runDir, { recursive: true, force: true });
}

const count = (reply: string | undefined) => audit.pushes.filter((p) => p.reply === reply).length;
const falseOk = audit.undelivered();
const unanswered = audit.unanswered();
const errors = audit.pushes.filter((p) => p.reply?.startsWith('error')).length;
if (falseOk.length > 0) failed.push(`${falseOk.length} false ok (first: push ${falseOk[0]!.id} to ${falseOk[0]!.uid})`);
if (unanswered > 0) failed.push(`${unanswered} lines on open text connections never answered`);
if (errors > 0) failed.push(`${errors} pushes answered with an error`);
if (rss.peak > RSS_BOUND_BYTES) failed.push(`server RSS peaked at ${mib(rss.peak)}, over the ${mib(RSS_BOUND_BYTES)} bound`);
failed = [...new Set(failed)];

console.log([
  `soak: ${seconds} s, ${clients} clients at count 2, ${rate} pushes/s over ${TEXT_CONNECTIONS} text connections`,
  `  pushes   ${audit.pushes.length} sent: ${count('ok')} ok, ${count('fail')} fail, ${errors} error, ${count(undefined)} unanswered (on connections that closed: ${audit.pushes.length - count('ok') - count('fail') - errors - unanswered})`,
  `  clients  ${reconnects} left and came back; ${[...audit.connections.values()].reduce((n, list) => n + list.length, 0)} connections in all`,
  `  false ok ${falseOk.length}`,
  `  rss      per process at start ${rss.start.map(mib).join(' / ')}, at end ${rss.end.map(mib).join(' / ')}, peak ${mib(rss.peak)} (bound ${mib(RSS_BOUND_BYTES)})`,
  failed.length === 0 ? 'soak: PASS' : `soak: FAIL\n${failed.map((f) => `  - ${f}`).join('\n')}`,
].join('\n'));
process.exit(failed.length === 0 ? 0 : 1);
