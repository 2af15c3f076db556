import { postBroadcast } from './api.ts';
import type { ClientPool } from './clients.ts';
import { signal, within, type Deadline } from './deadline.ts';
import type { BenchOptions } from './flags.ts';
import { PushTracker, pushLine } from './push-tracker.ts';
import type { BenchServer } from './server.ts';
import { latencySummary, ratio, round } from './stats.ts';
import { TextClient } from './text-client.ts';

/** What every scenario runs against: one server, its identified clients, and the count setting's deadline. */
export interface ScenarioContext {
  server: BenchServer;
  pool: ClientPool;
  options: BenchOptions;
  deadline: Deadline;
}

/** One scenario's figures; run.ts adds the count setting's own (count, registration, memory, CPU). */
export type ScenarioResult = { scenario: string; pushes: number; pushesPerSec: number; okRatio: number | null; timedOut: boolean } & Record<string, unknown>;

/** The scenarios, in the order they run. */
export const scenarios: Record<string, (ctx: ScenarioContext) => Promise<ScenarioResult>> = {
  pipelined, 'request-response': requestResponse, broadcast,
};

// Each scenario tags its messages, so a late arrival from one that timed out never counts for the next.
let lastRun = 0;

const perSecond = (n: number, ms: number) => (ms > 0 ? round((n * 1000) / ms, 1) : 0);

function pushResult(scenario: string, tracker: PushTracker, pushes: number, started: number, completed: boolean): ScenarioResult {
  const elapsedMs = (tracker.lastEventAt || performance.now()) - started;
  return {
    scenario, pushes, pushesPerSec: perSecond(tracker.arrived, elapsedMs), ...latencySummary(tracker.latencies),
    okRatio: ratio(tracker.ok, pushes), timedOut: !completed,
    sent: tracker.sent, replies: tracker.replies, arrived: tracker.arrived, elapsedMs: round(elapsedMs, 1),
    ...(tracker.fail ? { fail: tracker.fail } : {}),
    ...(tracker.errors ? { errors: tracker.errors, firstError: tracker.firstError } : {}),
    ...(tracker.duplicates ? { duplicates: tracker.duplicates } : {}),
    ...(tracker.misrouted ? { misrouted: tracker.misrouted } : {}),
  };
}

/** K text connections, each keeping at most W lines outstanding; uids round-robin over the clients. */
async function pipelined({ server, pool, options, deadline }: ScenarioContext): Promise<ScenarioResult> {
  const run = ++lastRun;
  const total = options.pushes;
  const tracker = new PushTracker(total, pool.size);
  pool.listen(run, (probe, client, at) => tracker.deliver(probe, client, at));
  const connections = await Promise.all(Array.from({ length: options.connections }, () => TextClient.open(server.textPort)));
  try {
    const started = performance.now();
    for (const connection of connections) {
      let outstanding = 0;
      // Tops the window up in one write, stamping each line as it is built, just before it goes out.
      const fill = () => {
        let text = '';
        while (outstanding < options.window && tracker.sent < total && !deadline.passed()) {
          text += pushLine(run, tracker.sent++, pool.size);
          outstanding++;
        }
        if (text) connection.write(text);
        if (tracker.sent >= total || deadline.passed()) tracker.finish();
      };
      connection.onReply = (line) => {
        outstanding--;
        tracker.reply(line);
      };
      connection.onReplies = fill;
      fill();
    }
    const completed = await within(tracker.complete, deadline);
    return { ...pushResult('pipelined', tracker, total, started, completed), connections: options.connections, window: options.window };
  } finally {
    for (const connection of connections) connection.close();
  }
}

/** One text connection: write a line, wait for its reply, then the next. */
async function requestResponse({ server, pool, options, deadline }: ScenarioContext): Promise<ScenarioResult> {
  const run = ++lastRun;
  const total = options.rrPushes;
  const tracker = new PushTracker(total, pool.size);
  pool.listen(run, (probe, client, at) => tracker.deliver(probe, client, at));
  const connection = await TextClient.open(server.textPort);
  try {
    let answered = signal();
    connection.onReply = (line) => {
      tracker.reply(line);
      answered.resolve();
    };
    const started = performance.now();
    let stalled = false;
    for (let seq = 0; seq < total && !deadline.passed() && !connection.closed; seq++) {
      answered = signal();
      tracker.sent++;
      connection.write(pushLine(run, seq, pool.size));
      if (!(await within(answered.promise, deadline))) {
        stalled = true;
        break;
      }
    }
    tracker.finish();
    const completed = !stalled && tracker.sent === total && (await within(tracker.complete, deadline));
    return pushResult('request-response', tracker, total, started, completed);
  } finally {
    connection.close();
  }
}

/** POST /broadcast B times, one after another; each is timed until every client has it. */
async function broadcast({ server, pool, options, deadline }: ScenarioContext): Promise<ScenarioResult> {
  const run = ++lastRun;
  const [clients, total] = [pool.size, options.broadcasts];
  const arrived = new Uint32Array(total);
  const lastArrival = new Float64Array(total);
  const seen = new Uint8Array(clients * total);
  let duplicates = 0;
  let current = -1;
  let everyone = signal();
  pool.listen(run, (probe, client, at) => {
    const b = probe.b;
    if (b === undefined || !(b >= 0 && b < total)) return;
    if (seen[b * clients + client]) return void duplicates++;
    seen[b * clients + client] = 1;
    arrived[b]!++;
    lastArrival[b] = at;
    if (b === current && arrived[b]! >= clients) everyone.resolve();
  });
  const completions: number[] = [];
  let reported = 0;
  let firstError: string | undefined;
  let timedOut = false;
  const started = performance.now();
  for (let b = 0; b < total && !deadline.passed(); b++) {
    [current, everyone] = [b, signal()];
    const t = round(performance.now(), 3);
    const answer = postBroadcast(server.port, JSON.stringify({ r: run, b, t })).then((n) => (reported += n), (error: unknown) => {
      firstError ??= error instanceof Error ? error.message : String(error);
    });
    if (!(await within(Promise.all([everyone.promise, answer]), deadline))) {
      timedOut = true;
      break;
    }
    completions.push(lastArrival[b]! - t);
  }
  timedOut ||= completions.length < total;
  const deliveries = arrived.reduce((a, b) => a + b, 0);
  const end = completions.length > 0 ? lastArrival[completions.length - 1]! : performance.now();
  return {
    scenario: 'broadcast', pushes: total * clients, pushesPerSec: perSecond(deliveries, end - started),
    ...latencySummary(completions), okRatio: ratio(reported, total * clients), timedOut,
    broadcasts: total, completed: completions.length, arrived: deliveries, elapsedMs: round(end - started, 1),
    ...(duplicates ? { duplicates } : {}), ...(firstError ? { firstError } : {}),
  };
}
