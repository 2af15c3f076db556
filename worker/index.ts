import { createPushApp } from '../src/index.ts';
import { connect } from './connect.ts';
import { settingsFrom, shardCount, type Env } from './env.ts';
import { ShardedTarget } from './sharded-target.ts';

export { PushHub } from './push-hub.ts';

type App = { Bindings: Env };

/** The Worker: the HTTP push API (authenticated here, before any Durable Object) and the WebSocket entry. */
const app = createPushApp<App>({
  settings: (c) => settingsFrom(c.env),
  target: (c) => new ShardedTarget(c.env.PUSH_HUB, shardCount(c.env)),
  connect,
});

export default app;
