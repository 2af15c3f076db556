import type { Context, Hono, MiddlewareHandler } from 'hono';
import { pageHeaders } from '../html-page.ts';
import { jsonReply } from '../json-reply.ts';
import { dashboardPage } from './dashboard-page.ts';
import { expositionContentType } from './exposition-writer.ts';
import type { OpsSource } from './ops-report.ts';
import { serverMetrics } from './server-metrics.ts';

// Handlers hand the runtime its own context back, as in the push app.
type AnyContext = Context<any>;

/** How a runtime plugs its figures into the ops routes. */
export interface OpsOptions {
  /** The figures of this server, and where request latency goes. */
  source(c: AnyContext): OpsSource;
  /** Whether GET /dashboard serves the page (DASHBOARD=off turns it off). */
  dashboard(c: AnyContext): boolean;
}

// Pushes in a batch body: its lines, as /push/batch counts them (the last newline is optional).
function linesIn(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.length > 0 && !text.endsWith('\n') ? lines + 1 : lines;
}

// Times a push request from its arrival to its answer, once per request: a batch counts as its pushes.
function timed(ops: OpsOptions, batch: boolean): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    if (c.res.status !== 200) return;
    // The handler has read the body already; Hono hands back the same text without reading it again.
    const count = batch ? linesIn(await c.req.text()) : 1;
    ops.source(c).observe((performance.now() - started) / 1000, count);
  };
}

/**
 * Mounts GET /metrics (Prometheus text), GET /stats/parts (per process or shard) and GET /dashboard, and
 * times the push routes. Call it before the push routes are added, so the timing wraps them.
 */
export function mountOps(app: Hono<any>, guard: MiddlewareHandler, ops: OpsOptions): void {
  app.post('/push', timed(ops, false));
  app.post('/push/batch', timed(ops, true));
  app.post('/broadcast', timed(ops, false));

  app.get('/metrics', guard, async (c) =>
    c.body(serverMetrics(await ops.source(c).report()), 200, { 'Content-Type': expositionContentType, 'Cache-Control': 'no-store' }));

  app.get('/stats/parts', guard, async (c) => {
    const { unit, parts, total, groups } = await ops.source(c).report();
    return jsonReply(c, groups ? { unit, parts, total, groups } : { unit, parts, total }, 200, { 'Cache-Control': 'no-store' });
  });

  // The page holds no figures, so it needs no token; everything it shows it fetches with one.
  app.get('/dashboard', (c) => {
    if (!ops.dashboard(c)) return jsonReply(c, { error: 'the dashboard is turned off (DASHBOARD=off)' }, 404);
    return c.html(dashboardPage, 200, pageHeaders("'unsafe-inline'"));
  });
}
