import type { Context, Hono, MiddlewareHandler } from 'hono';
import { checkGroup } from '../wire/group-name.ts';
import { NO_GROUPS, type GroupTarget } from '../groups/group-target.ts';
import { isRefusal } from '../hub/push-answer.ts';
import { jsonReply } from '../json-reply.ts';
import type { Limits } from '../limits.ts';
import { checkUid } from '../wire/uid.ts';
import { jsonError } from './publisher-guard.ts';

// Handlers hand the runtime its own context back, as in the push app.
type AnyContext = Context<any>;

/** How the group routes reach a runtime's groups and its limits. */
export interface GroupRoutesOptions {
  /** The publisher check every route passes first. */
  guard: MiddlewareHandler;
  /** Refuses a body over MAX_BATCH_BYTES (the join of many uids). */
  bodyLimit: MiddlewareHandler;
  limits(c: AnyContext): Limits;
  /** The runtime's groups; undefined where it has none, and every route answers 501. */
  groups?(c: AnyContext): GroupTarget;
}

/** Members per page of GET /groups/:group/members unless `limit` asks for fewer. */
const MEMBER_PAGE = 1000;
// A cursor is the target's own text; bounded so a query cannot make it carry much.
const maxCursorBytes = 2048;

/**
 * The group routes: membership by uid, managed by the backend (join, leave, join many, delete), and read back
 * (counts, members in pages, the groups of a uid). A limit refuses a join with 409 and changes nothing.
 */
export function mountGroups(app: Hono<any>, options: GroupRoutesOptions): void {
  const { guard } = options;
  // Answers 501 before the route when this runtime has no groups.
  const present: MiddlewareHandler = async (c, next) => (options.groups ? next() : jsonError(c, 501, NO_GROUPS));
  const groups = (c: AnyContext) => options.groups!(c);
  const groupParam = (c: AnyContext) => checkGroup(c.req.param('group'), options.limits(c).maxUidBytes);
  const uidParam = (c: AnyContext) => checkUid(c.req.param('uid'), options.limits(c).maxUidBytes);

  app.put('/groups/:group/members/:uid', guard, present, async (c) => {
    const group = groupParam(c);
    const uid = uidParam(c);
    if ('error' in group) return jsonError(c, 400, group.error);
    if ('error' in uid) return jsonError(c, 400, uid.error);
    const joined = await groups(c).join(group.group, [uid.uid]);
    if (isRefusal(joined)) return jsonError(c, 409, joined.refused);
    return jsonReply(c, { group: group.group, uid: uid.uid, joined: joined > 0 });
  });

  app.delete('/groups/:group/members/:uid', guard, present, async (c) => {
    const group = groupParam(c);
    const uid = uidParam(c);
    if ('error' in group) return jsonError(c, 400, group.error);
    if ('error' in uid) return jsonError(c, 400, uid.error);
    return jsonReply(c, { group: group.group, uid: uid.uid, left: await groups(c).leave(group.group, uid.uid) });
  });

  app.post('/groups/:group/members', guard, present, options.bodyLimit, async (c) => {
    const group = groupParam(c);
    if ('error' in group) return jsonError(c, 400, group.error);
    const limits = options.limits(c);
    const uids = readUids(await c.req.text(), limits);
    if ('error' in uids) return jsonError(c, uids.status, uids.error);
    const joined = await groups(c).join(group.group, uids.uids);
    if (isRefusal(joined)) return jsonError(c, 409, joined.refused);
    return jsonReply(c, { group: group.group, joined });
  });

  app.delete('/groups/:group', guard, present, async (c) => {
    const group = groupParam(c);
    if ('error' in group) return jsonError(c, 400, group.error);
    return jsonReply(c, { group: group.group, removed: await groups(c).remove(group.group) });
  });

  app.get('/groups/:group', guard, present, async (c) => {
    const group = groupParam(c);
    if ('error' in group) return jsonError(c, 400, group.error);
    return jsonReply(c, { group: group.group, ...(await groups(c).counts(group.group)) });
  });

  app.get('/groups/:group/members', guard, present, async (c) => {
    const group = groupParam(c);
    if ('error' in group) return jsonError(c, 400, group.error);
    const query = memberQuery(c);
    if ('error' in query) return jsonError(c, 400, query.error);
    const page = await groups(c).members(group.group, query);
    return jsonReply(c, page.cursor === undefined ? { uids: page.uids } : { uids: page.uids, cursor: page.cursor });
  });

  app.get('/groups', guard, present, async (c) => {
    const raw = c.req.query('uid');
    if (raw === undefined) return jsonError(c, 400, 'missing ?uid=: name the uid whose groups you want');
    const uid = checkUid(raw, options.limits(c).maxUidBytes);
    if ('error' in uid) return jsonError(c, 400, uid.error);
    return jsonReply(c, { uid: uid.uid, groups: await groups(c).groupsOf(uid.uid) });
  });
}

/** The uids of a join body `{"uids":[…]}`: 1 to MAX_BATCH uids (strings or integers), each checked, repeats once. */
function readUids(text: string, limits: Pick<Limits, 'maxBatch' | 'maxUidBytes'>): { uids: string[] } | { error: string; status: 400 | 413 } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'invalid JSON: send {"uids":["a","b"]}', status: 400 };
  }
  const list = (value as { uids?: unknown } | null)?.uids;
  if (!Array.isArray(list)) return { error: 'body must be a JSON object with a "uids" array', status: 400 };
  if (list.length === 0) return { error: 'uids is empty: list at least one uid', status: 400 };
  if (list.length > limits.maxBatch) return { error: `uids lists ${list.length} uids; at most ${limits.maxBatch} (MAX_BATCH)`, status: 413 };
  const uids = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const checked = checkUid(raw, limits.maxUidBytes);
    if ('error' in checked) return { error: `uid ${i + 1} of uids: ${checked.error}`, status: 400 };
    uids.add(checked.uid);
  }
  return { uids: [...uids] };
}

// ?online=1 (or true, or bare) reads only members with a live connection; ?limit= a smaller page; ?cursor= where the last ended.
function memberQuery(c: AnyContext): { online: boolean; cursor?: string; limit: number } | { error: string } {
  const online = c.req.query('online');
  if (online !== undefined && !['', '0', '1', 'true', 'false'].includes(online)) return { error: 'online must be 1 or 0' };
  const onlineOnly = online === '' || online === '1' || online === 'true';
  const rawLimit = c.req.query('limit');
  const limit = rawLimit === undefined ? MEMBER_PAGE : Number(rawLimit);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MEMBER_PAGE) return { error: `limit must be a whole number from 1 to ${MEMBER_PAGE}` };
  const cursor = c.req.query('cursor');
  if (cursor !== undefined && (cursor === '' || cursor.length > maxCursorBytes)) return { error: `cursor must be the non-empty cursor of the page before` };
  const query: { online: boolean; cursor?: string; limit: number } = { online: onlineOnly, limit };
  if (cursor !== undefined) query.cursor = cursor;
  return query;
}
