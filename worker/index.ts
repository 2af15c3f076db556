import type { Context } from 'hono';
import { createPushApp, dashboardSetting } from '../src/index.ts';
import { connect } from './connect.ts';
import { settingsFrom, shardCount, type Env } from './env.ts';
import { ShardedTarget } from './sharded-target.ts';
import { ShardOps } from './shard-ops.ts';

export { PushHub } from './push-hub.ts';

type App = { Bindings: Env };

// Hono has no execution context when the app is called directly (app.request in tests): run the work anyway.
function waitUntilOf(c: Context<App>): (work: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return (work) => void work.catch(() => {});
  }
}

/** The Worker: the HTTP push API (authenticated here, before any Durable Object) and the WebSocket entry. */
const app = createPushApp<App>({
  settings: (c) => settingsFrom(c.env),
  target: (c) => new ShardedTarget(c.env.PUSH_HUB, shardCount(c.env)),
  connect,
  ops: {
    source: (c) => new ShardOps(new ShardedTarget(c.env.PUSH_HUB, shardCount(c.env)), waitUntilOf(c)),
    dashboard: (c) => dashboardSetting(c.env.DASHBOARD),
  },
});

export default app;
