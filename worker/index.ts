import type { Context } from 'hono';
import { checkUid, createPushApp } from '../src/index.ts';
import { settingsFrom, shardCount, type Env } from './env.ts';
import { ShardedTarget, shardOf } from './sharded-target.ts';

export { PushHub } from './push-hub.ts';

type App = { Bindings: Env };

/** The Worker: the HTTP push API (authenticated here, before any Durable Object) and the WebSocket entry. */
const app = createPushApp<App>({
  settings: (c) => settingsFrom(c.env),
  target: (c) => new ShardedTarget(c.env.PUSH_HUB, shardCount(c.env)),
});

async function connect(c: Context<App>): Promise<Response> {
  const shards = shardCount(c.env);
  const uid = c.req.query('uid');
  if (uid !== undefined) {
    const checked = checkUid(uid, settingsFrom(c.env).limits.maxUidBytes);
    if ('error' in checked) return c.json({ error: checked.error }, 400);
  } else if (shards > 1) {
    // The uid picks the shard, so a sharded deployment must learn it before the socket exists.
    return c.json({ error: `this deployment is sharded (SHARDS=${shards}): connect with ?uid=<uid>` }, 400);
  }
  const target = new ShardedTarget(c.env.PUSH_HUB, shards);
  return target.stub(shardOf(uid ?? '', shards)).fetch(c.req.raw);
}

const isUpgrade = (c: Context<App>) => c.req.header('upgrade')?.toLowerCase() === 'websocket';

app.get('/', async (c) =>
  isUpgrade(c) ? connect(c) : c.text('pushport: open a WebSocket here and send your uid as the first message.\n'));
app.get('/ws', async (c) =>
  isUpgrade(c) ? connect(c) : c.json({ error: 'expected a WebSocket upgrade (Upgrade: websocket)' }, 426));

export default app;
