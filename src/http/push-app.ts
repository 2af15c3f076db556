import { Hono, type Context, type Env } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { ConfigError, type Limits } from '../limits.ts';
import type { HomeSettings } from '../home/home-page.ts';
import { clientModuleReply, homeReply } from '../home/home-routes.ts';
import { mountOps, type OpsOptions } from '../ops/ops-routes.ts';
import { parseBatch } from '../wire/push-batch.ts';
import { parsePush } from '../wire/push-message.ts';
import { byteLength, checkUid } from '../wire/uid.ts';
import { parseUidList } from '../wire/uid-list.ts';
import { jsonReply, jsonTextReply } from '../json-reply.ts';
import { jsonError, limitBody, requirePublisher } from './publisher-guard.ts';
import { isRefusal } from '../hub/push-answer.ts';
import { PartsMissing, type PushTarget } from '../hub/push-target.ts';
import { NO_GROUPS, type GroupTarget } from '../groups/group-target.ts';
import type { GroupPushParse, UidPushParse } from '../wire/push-message.ts';
import { batchJson, deliveryJson } from './delivery-json.ts';
import { mountGroups } from './group-routes.ts';
import { pushMixed } from './mixed-batch.ts';

/** Per-request settings; a runtime reads them from its environment. */
export interface PushAppSettings {
  /** The publisher token; undefined keeps the API shut (503). */
  token: string | undefined;
  limits: Limits;
}

// Handlers hand the runtime its own context back; `any` keeps Hono's per-route generics out of this contract.
type AnyContext = Context<any>;

/** How a runtime plugs into the HTTP API: where settings come from and what pushes go into. */
export interface PushAppOptions {
  settings(c: AnyContext): PushAppSettings;
  target(c: AnyContext): PushTarget;
  /** Accepts a WebSocket upgrade on `/` or `/ws`, where the runtime routes upgrades through the app. */
  connect?(c: AnyContext): Promise<Response>;
  /** The operator's routes (/metrics, /stats/parts, /dashboard) and push timing, where the runtime has figures for them. */
  ops?: OpsOptions;
  /** What the first page (GET / without an upgrade) shows; without it, or with it turned off, `/` answers 404. */
  home?(c: AnyContext): HomeSettings;
  /** The runtime's groups (the /groups routes and group pushes); without it they answer 501. */
  groups?(c: AnyContext): GroupTarget;
}

// A WebSocket close reason must fit in a 125-byte control frame along with its 2-byte code.
const maxCloseReasonBytes = 123;

/**
 * The HTTP push API, the same on every runtime: push (to a uid or a group), batch, broadcast, online (one uid or
 * many), kick, groups, stats, the
 * answers of the client entry (`/`, `/ws`) to requests that are not WebSocket upgrades, and pushport/client as a module.
 */
export function createPushApp<E extends Env>(options: PushAppOptions): Hono<E> {
  const app = new Hono<E>();
  const settings = options.settings;
  app.use(methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      jsonError(c, 405, `${c.req.method} is not allowed here; use ${methods.join(' or ')}`, { Allow: methods.join(', ') }),
  }));
  app.notFound((c) => jsonError(c, 404, `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof ConfigError) return jsonError(c, 500, `configuration error: ${err.message}`);
    if (err instanceof PartsMissing) return jsonError(c, 502, err.message);
    console.error('pushport: request failed', err);
    return jsonError(c, 500, 'internal error');
  });

  const guard = requirePublisher((c) => settings(c).token);
  const messageLimit = limitBody((c) => settings(c).limits.maxMessageBytes, 'message');
  const batchLimit = limitBody((c) => settings(c).limits.maxBatchBytes, 'batch');
  const uidParam = (c: AnyContext) => checkUid(c.req.param('uid'), settings(c).limits.maxUidBytes);
  // Before the push routes, so its timing wraps them.
  if (options.ops) mountOps(app, guard, options.ops);

  app.post('/push', guard, messageLimit, async (c) => {
    const { limits } = settings(c);
    const parsed = parsePush(await c.req.text(), limits.maxUidBytes, limits.maxTtlSeconds);
    if (!parsed.ok) return jsonError(c, 400, parsed.error);
    if (parsed.group !== undefined && !options.groups) return jsonError(c, 501, NO_GROUPS);
    const answer = await (parsed.group === undefined
      ? options.target(c).push(parsed.uid, parsed.message, parsed)
      : options.groups!(c).pushGroup(parsed));
    // Nothing was taken: the backend may retry later, with the same id if it has one.
    if (isRefusal(answer)) return jsonError(c, 429, answer.refused);
    return jsonTextReply(c, deliveryJson(answer));
  });

  app.post('/push/batch', guard, batchLimit, async (c) => {
    const { limits } = settings(c);
    const parsed = parseBatch(await c.req.text(), limits);
    if (parsed.length === 0) return jsonError(c, 400, 'empty batch: send one JSON push per line');
    if (parsed.length > limits.maxBatch) return jsonError(c, 413, `batch has ${parsed.length} pushes; at most ${limits.maxBatch}`);
    // The parsed pushes go as they are: a copy without `ok` would be one more object per push.
    const valid: (UidPushParse | GroupPushParse)[] = [];
    let groupLines = false;
    for (const p of parsed) {
      if (!p.ok) continue;
      valid.push(p);
      if (p.group !== undefined) groupLines = true;
    }
    // A batch of uid pushes only (the usual one) goes as one pushMany; group lines split it into runs, in order.
    const answers = groupLines
      ? await pushMixed(options.target(c), options.groups?.(c), valid)
      : await options.target(c).pushMany(valid as UidPushParse[]);
    return jsonTextReply(c, batchJson(parsed, answers));
  });

  app.post('/broadcast', guard, messageLimit, async (c) => {
    const message = await c.req.text();
    if (message.length === 0) return jsonError(c, 400, 'empty message: the body is what every client receives');
    return jsonReply(c, { delivered: await options.target(c).broadcast(message) });
  });

  app.get('/online/:uid', guard, async (c) => {
    const uid = uidParam(c);
    if ('error' in uid) return jsonError(c, 400, uid.error);
    const connections = await options.target(c).online(uid.uid);
    return jsonReply(c, { uid: uid.uid, online: connections > 0, connections });
  });

  app.get('/online', guard, async (c) => {
    const { limits } = settings(c);
    const parsed = parseUidList(new URL(c.req.url).search, limits.maxBatch, limits.maxUidBytes);
    if ('error' in parsed) return jsonError(c, 400, parsed.error);
    return jsonReply(c, await options.target(c).onlineMany(parsed.uids));
  });

  app.delete('/online/:uid', guard, async (c) => {
    const uid = uidParam(c);
    if ('error' in uid) return jsonError(c, 400, uid.error);
    const reason = c.req.query('reason');
    if (reason !== undefined && byteLength(reason) > maxCloseReasonBytes) {
      return jsonError(c, 400, `reason is longer than ${maxCloseReasonBytes} bytes`);
    }
    return jsonReply(c, { uid: uid.uid, closed: await options.target(c).kick(uid.uid, reason) });
  });

  mountGroups(app, { guard, bodyLimit: batchLimit, limits: (c) => settings(c).limits, groups: options.groups && ((c) => options.groups!(c)) });

  app.get('/stats', guard, async (c) => {
    const ops = options.ops?.source(c);
    if (!ops) return jsonReply(c, await options.target(c).stats());
    // One gather brings the totals and, where the runtime has groups, their figures as `groups`: { groups, pushes }.
    const { total, groups } = await ops.report();
    return jsonReply(c, groups ? { ...total, groups } : total);
  });

  // The client entry: an upgrade goes to the runtime; a plain request gets the first page.
  const isUpgrade = (c: AnyContext) => c.req.header('upgrade')?.toLowerCase() === 'websocket';
  app.get('/', async (c) => (options.connect && isUpgrade(c) ? options.connect(c) : homeReply(c, options.home?.(c))));
  app.get('/pushport-client.js', clientModuleReply);
  app.get('/ws', async (c) =>
    options.connect && isUpgrade(c) ? options.connect(c) : jsonReply(c, { error: 'expected a WebSocket upgrade (Upgrade: websocket)' }, 426));

  return app;
}
