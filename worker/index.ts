import type { Context } from 'hono';
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
});

const isUpgrade = (c: Context<App>) => c.req.header('upgrade')?.toLowerCase() === 'websocket';

app.get('/', async (c) =>
  isUpgrade(c) ? connect(c) : c.text('pushport: open a WebSocket here and send your uid as the first message.\n'));
app.get('/ws', async (c) =>
  isUpgrade(c) ? connect(c) : c.json({ error: 'expected a WebSocket upgrade (Upgrade: websocket)' }, 426));

export default app;
