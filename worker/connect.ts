import type { Context } from 'hono';
import { decideConnect, jsonReply } from '../src/index.ts';
import { edgeSetup } from './edge-setup.ts';
import type { Env } from './env.ts';

/**
 * Hands a WebSocket upgrade to the Durable Object shard of its uid, once the client is allowed in:
 * a bad token or uid is refused here, before any socket or object exists.
 */
export async function connect(c: Context<{ Bindings: Env }>): Promise<Response> {
  const { settings: { limits }, shards, target } = edgeSetup(c.env);
  const decision = await decideConnect(
    { uid: c.req.query('uid'), token: c.req.query('token'), since: c.req.query('since') },
    { clientSecret: c.env.CLIENT_SECRET, maxUidBytes: limits.maxUidBytes },
  );
  if ('error' in decision) return jsonReply(c, { error: decision.error }, decision.status);
  if (decision.uid === undefined && shards > 1) {
    // The uid picks the shard, so a sharded deployment must learn it before the socket exists.
    return jsonReply(c, { error: `this deployment is sharded (SHARDS=${shards}): connect with ?uid=<uid> or ?token=` }, 400);
  }
  // The object trusts ?uid= and ?since= on the URL it is given, so that URL carries only what was decided here.
  const url = new URL(c.req.url);
  const search = new URLSearchParams();
  if (decision.uid !== undefined) search.set('uid', decision.uid);
  if (decision.since !== undefined) search.set('since', String(decision.since));
  url.search = search.toString();
  return target.upgrade(decision.uid, url, c.req.raw);
}
