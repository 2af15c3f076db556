import { describe, expect, it } from 'vitest';
import { createPushApp, defaultLimits, Hub, MemoryRegistry, NO_GROUPS, TextPushSession } from '../../../src/index.ts';
import { emptyLatency } from '../../../src/ops/index.ts';
import { memoryGroups } from '../memory-groups.ts';
import { hubTarget } from '../hub-target.ts';

const auth = { authorization: 'Bearer tok' };

// With groups, the app also gets the figures source a runtime gives it: /stats reads its totals and groups there.
function appWith(groups?: ReturnType<typeof memoryGroups>) {
  const target = hubTarget(new Hub(new MemoryRegistry(), defaultLimits));
  const limits = { ...defaultLimits, maxBatch: 3 };
  const source = {
    report: async () => ({ unit: 'process' as const, parts: [], total: await target.stats(), latency: emptyLatency(), groups: groups?.figures() }),
    observe: () => {},
  };
  return createPushApp({ settings: () => ({ token: 'tok', limits }), target: () => target,
    ...(groups && { groups: () => groups, ops: { source: () => source, dashboard: () => false } }) });
}

async function call(app: ReturnType<typeof appWith>, method: string, path: string, body?: string, headers: Record<string, string> = auth) {
  const res = await app.request(path, { method, body, headers });
  return { status: res.status, json: (await res.json()) as any };
}

describe('the group routes', () => {
  it('answer 501 where the runtime has no groups, after the token check, and so do group pushes', async () => {
    const app = appWith();
    for (const [method, path] of [['PUT', '/groups/g/members/u'], ['DELETE', '/groups/g'], ['GET', '/groups/g/members'], ['GET', '/groups?uid=u']]) {
      expect(await call(app, method!, path!)).toEqual({ status: 501, json: { error: NO_GROUPS } });
      expect((await call(app, method!, path!, undefined, {})).status).toBe(401);
    }
    expect(await call(app, 'POST', '/push', '{"group":"g"}')).toEqual({ status: 501, json: { error: NO_GROUPS } });
    expect((await call(app, 'POST', '/push/batch', '{"uid":"u"}\n{"group":"g"}')).json.results).toEqual([{ ok: false, delivered: 0 }, { ok: false, error: NO_GROUPS }]);
    const replies: string[] = [];
    const session = new TextPushSession({ target: hubTarget(new Hub(new MemoryRegistry(), defaultLimits)), maxUidBytes: 64, reply: (r) => replies.push(r), close: () => {} });
    session.line('{"group":"g"}');
    expect(replies).toEqual([`error ${NO_GROUPS}`]);
  });

  it('reply as the contract says, refuse a limit with 409 and too many uids with 413, and show groups in /stats', async () => {
    const groups = memoryGroups();
    const app = appWith(groups);
    expect((await call(app, 'PUT', '/groups/g%201/members/a')).json).toEqual({ group: 'g 1', uid: 'a', joined: true });
    expect((await call(app, 'POST', '/groups/g%201/members', '{"uids":["a","b",7]}')).json).toEqual({ group: 'g 1', joined: 2 });
    expect(await call(app, 'POST', '/groups/g%201/members', '{"uids":["a","b","c","d"]}')).toMatchObject({ status: 413 });
    expect(await call(app, 'PUT', '/groups/g%201/members/full')).toEqual({ status: 409, json: { error: expect.stringContaining('MAX_GROUPS_PER_UID') } });
    expect((await call(app, 'GET', '/groups/g%201/members?limit=2')).json).toEqual({ uids: ['7', 'a'], cursor: 'a' });
    expect((await call(app, 'GET', '/groups/g%201/members?limit=2&cursor=a')).json).toEqual({ uids: ['b'] });
    expect(await call(app, 'GET', '/groups/g%201/members?limit=0')).toMatchObject({ status: 400 });
    expect((await call(app, 'GET', '/groups?uid=b')).json).toEqual({ uid: 'b', groups: ['g 1'] });
    expect((await call(app, 'POST', '/push', '{"group":"g 1","except":"a","ttl":5}')).json).toEqual({ ok: true, delivered: 3 });
    expect(groups.pushed).toEqual([{ ok: true, group: 'g 1', except: 'a', ttl: 5, message: '{"group":"g 1","except":"a","ttl":5}' }]);
    expect((await call(app, 'GET', '/stats')).json.groups).toEqual({ groups: 1, pushes: 1 });
    expect((await call(app, 'DELETE', '/groups/g%201/members/a')).json).toEqual({ group: 'g 1', uid: 'a', left: true });
    expect((await call(app, 'DELETE', '/groups/g%201')).json).toEqual({ group: 'g 1', removed: 2 });
  });

  it('answer a group line of a batch that fails with its own error, and keep the answers of the lines around it', async () => {
    const groups = memoryGroups();
    groups.pushGroup = () => {
      throw new Error('only 1 of 2 shards answered');
    };
    const app = appWith(groups);
    expect(await call(app, 'POST', '/push/batch', '{"uid":"u1"}\n{"group":"g"}\n{"uid":"u2"}')).toEqual({ status: 200, json: {
      results: [{ ok: false, delivered: 0 }, { ok: false, error: 'only 1 of 2 shards answered' }, { ok: false, delivered: 0 }], delivered: 0,
    } });
  });
});
