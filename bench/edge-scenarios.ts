import type { Deadline } from './deadline.ts';
import { within } from './deadline.ts';
import { DeliveryTracker } from './delivery-tracker.ts';
import { pushLine } from './probe.ts';
import type { RawWsPool } from './raw-ws-pool.ts';
import { httpRequest, RawHttpConnection } from './raw-http.ts';
import { nextRun } from './scenario-pushes.ts';
import { latencySummary, round } from './stats.ts';

/** What the edge scenarios run against: the local Worker, its identified clients, the scenario's deadline. */
export interface EdgeContext {
  port: number;
  token: string;
  pool: RawWsPool;
  deadline: Deadline;
}

/** The figures of an HTTP push scenario: pushes delivered per second, requests per second, losses. */
function figures(tracker: DeliveryTracker, requests: number, started: number, completed: boolean): Record<string, unknown> {
  const elapsedMs = (tracker.lastEventAt || performance.now()) - started;
  const e2e = latencySummary(tracker.latencies);
  return {
    pushes: tracker.sent, requests, pushesPerSec: round((tracker.arrived * 1000) / elapsedMs), requestsPerSec: round((requests * 1000) / elapsedMs),
    e2eP50Ms: e2e.p50Ms, e2eP99Ms: e2e.p99Ms, okRatio: tracker.sent ? round(tracker.ok / tracker.sent, 4) : null,
    fail: tracker.fail, lost: tracker.lost, misrouted: tracker.misrouted, duplicates: tracker.duplicates,
    ...(tracker.errors ? { errors: tracker.errors, firstError: tracker.firstError } : {}),
    elapsedMs: round(elapsedMs, 1), timedOut: !completed,
  };
}

/**
 * Pushes through the HTTP API to random connected uids over `connections` kept-alive sockets, each with
 * `depth` requests in flight: `/push/batch` with `batch` NDJSON lines per request, or `/push` with one.
 * Sending stops after `total` pushes or `sendMs`, whichever comes first; then every answer is waited for.
 */
export async function httpPushes(ctx: EdgeContext, total: number, batch: number, connections: number, depth: number, sendMs: number): Promise<Record<string, unknown>> {
  const { port, token, pool, deadline } = ctx;
  const tracker = new DeliveryTracker(nextRun(), total, pool.size);
  pool.onMessage = (client, payload, at) => tracker.deliver(client, payload, at);
  const links = await Promise.all(Array.from({ length: connections }, () => RawHttpConnection.open(port)));
  let responses = 0;
  try {
    const started = performance.now();
    const sending = () => tracker.sent < total && performance.now() - started < sendMs && !deadline.passed();
    for (const link of links) {
      // Responses come in order: the first seq of each request in flight, oldest first.
      const firsts: Array<[first: number, count: number]> = [];
      let inFlight = 0;
      const fill = () => {
        let out = '';
        while (inFlight < depth && sending()) {
          const first = tracker.sent;
          let body = '';
          for (let i = 0; i < batch && tracker.sent < total; i++, tracker.sent++) body += pushLine(tracker.run, tracker.sent, pool.first + tracker.targets[tracker.sent]!);
          out += httpRequest('POST', batch > 1 ? '/push/batch' : '/push', port, token, batch > 1 ? body : body.slice(0, -1));
          firsts.push([first, tracker.sent - first]);
          inFlight++;
        }
        if (out) link.write(out);
        if (!sending()) tracker.finish();
      };
      link.onResponse = (status, body) => {
        const [first, count] = firsts.shift()!;
        inFlight--;
        responses++;
        answer(tracker, first, count, status, body);
        fill();
      };
      fill();
    }
    const completed = await within(tracker.complete, deadline);
    return { ...figures(tracker, responses, started, completed), batch, connections, depth };
  } finally {
    for (const link of links) link.close();
  }
}

// Marks each push of one response ok or fail, from `{ok}` or `{results: [{ok}, …]}`.
function answer(tracker: DeliveryTracker, first: number, count: number, status: number, body: Buffer): void {
  let parsed: { ok?: boolean; results?: Array<{ ok?: boolean }> } = {};
  try {
    parsed = JSON.parse(body.toString()) as typeof parsed;
  } catch {
    // Not JSON: reported below as an error reply with the status.
  }
  const results = parsed.results ?? [parsed];
  if (status >= 300 || results.length !== count) {
    for (let i = 0; i < count; i++) tracker.reply(first + i, `error HTTP ${status}: ${body.toString().slice(0, 120)}`);
    return;
  }
  results.forEach((r, i) => tracker.reply(first + i, r.ok === true ? 'ok' : r.ok === false ? 'fail' : `error HTTP ${status}`));
}
