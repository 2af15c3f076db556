import type { Context } from 'hono';
import { decideConnect, jsonReply } from '../src/index.ts';
import { settingsFrom, shardCount, type Env } from './env.ts';
import { ShardedTarget, shardOf } from './sharded-target.ts';

/**
 * Hands a WebSocket upgrade to the Durable Object shard of its uid, once the client is allowed in:
 * a bad token or uid is refused here, before any socket or object exists.
 */
export async function connect(c: Context<{ Bindings: Env }>): Promise<Response> {
  const shards = shardCount(c.env);
  const { limits } = settingsFrom(c.env);
  const decision = await decideConnect(
    { uid: c.req.query('uid'), token: c.req.query('token') },
    { clientSecret: c.env.CLIENT_SECRET, maxUidBytes: limits.maxUidBytes },
  );
  if ('error' in decision) return jsonReply(c, { error: decision.error }, decision.status);
  if (decision.uid === undefined && shards > 1) {
    // The uid picks the shard, so a sharded deployment must learn it before the socket exists.
    return jsonReply(c, { error: `this deployment is sharded (SHARDS=${shards}): connect with ?uid=<uid> or ?token=` }, 400);
  }
  // The object trusts ?uid= on the URL it is given, so that URL carries only what was decided here.
  const url = new URL(c.req.url);
  url.search = decision.uid === undefined ? '' : `?uid=${encodeURIComponent(decision.uid)}`;
  const stub = new ShardedTarget(c.env.PUSH_HUB, shards).stub(shardOf(decision.uid ?? '', shards));
  return stub.fetch(new Request(url, c.req.raw));
}
