import type { Context } from 'hono';
import { createPushApp, switchSetting } from '../src/index.ts';
import { connect } from './connect.ts';
import { edgeSetup } from './edge-setup.ts';
import type { Env } from './env.ts';
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

/**
 * The Worker: the HTTP push API (authenticated here, before any Durable Object), the WebSocket entry and the first page.
 * Token and declared size are checked before anything reads a body.
 */
const app = createPushApp<App>({
  settings: (c) => edgeSetup(c.env).settings,
  target: (c) => edgeSetup(c.env).target,
  groups: (c) => edgeSetup(c.env).groups,
  connect,
  ops: {
    source: (c) => new ShardOps(edgeSetup(c.env).target, waitUntilOf(c)),
    dashboard: (c) => switchSetting('DASHBOARD', c.env.DASHBOARD),
  },
  // The edge has no text port: the page's PHP line pushes over HTTP.
  home: (c) => ({ enabled: switchSetting('HOME_PAGE', c.env.HOME_PAGE), signed: Boolean(c.env.CLIENT_SECRET) }),
});

// A body we refused is cancelled, not left for someone to wait on: `wrangler dev` drains unread bodies after
// the reply and dies when a client declared more than it sent and hung up.
const dispatch = app.fetch;
app.fetch = async (request, env, ctx) => {
  const response = await dispatch(request, env, ctx);
  if (request.body !== null && !request.bodyUsed) request.body.cancel().catch(() => {});
  return response;
};

export default app;
