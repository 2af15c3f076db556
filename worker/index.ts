import { createPushApp, dashboardSetting } from '../src/index.ts';
import { connect } from './connect.ts';
import { settingsFrom, shardCount, type Env } from './env.ts';
import { ShardedTarget } from './sharded-target.ts';
import { ShardOps } from './shard-ops.ts';

export { PushHub } from './push-hub.ts';

type App = { Bindings: Env };

/** The Worker: the HTTP push API (authenticated here, before any Durable Object) and the WebSocket entry. */
const app = createPushApp<App>({
  settings: (c) => settingsFrom(c.env),
  target: (c) => new ShardedTarget(c.env.PUSH_HUB, shardCount(c.env)),
  connect,
  ops: {
    source: (c) => new ShardOps(new ShardedTarget(c.env.PUSH_HUB, shardCount(c.env)), (work) => c.executionCtx.waitUntil(work)),
    dashboard: (c) => dashboardSetting(c.env.DASHBOARD),
  },
});

export default app;
