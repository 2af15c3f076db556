import { describe, expect, it } from 'vitest';
import { Hub, HttpTarget, MemoryRegistry, createPushApp, defaultLimits, type PushTarget } from '../../../src/index.ts';
import { FakeSocket } from '../fake-socket.ts';
import { hubTarget } from '../hub-target.ts';
import { memoryGroups } from '../memory-groups.ts';

/** An HttpTarget whose fetch goes straight into a local push app, recording each request body. */
function wired(token = 'tok') {
  const hub = new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits);
  const local: PushTarget = hubTarget(hub);
  const groups = memoryGroups();
  const app = createPushApp({ settings: () => ({ token: 'tok', limits: defaultLimits }), target: () => local, groups: () => groups });
  const requests: string[] = [];
  const fetchInto = (async (url: string, init: RequestInit) => {
    requests.push(`${init.method} ${new URL(url).pathname} ${init.body ?? ''}`);
    return app.request(url, init);
  }) as typeof fetch;
  const target = new HttpTarget({ url: 'http://edge.test/', token, fetch: fetchInto });
  const join = (uid: string) => {
    const s = new FakeSocket();
    hub.connect(s);
    hub.receive(s, uid);
    return s;
  };
  return { target, requests, join, groups };
}

describe('HttpTarget', () => {
  it('sends a group line of the text port upstream as it is, in the same batch as the uid lines around it', async () => {
    const { target, requests, groups } = wired();
    await groups.join('g', ['m1', 'm2']);
    const line = '{"group":"g","except":"m1"}';
    const answers = await Promise.all([target.push('a', '{"uid":"a"}'), target.pushGroup({ group: 'g', message: line, except: 'm1' })]);
    expect(answers).toEqual([0, 2]);
    expect(requests).toEqual([`POST /push/batch {"uid":"a"}\n${line}`]);
    expect(groups.pushed).toEqual([{ ok: true, group: 'g', except: 'm1', message: line }]);
  });

  it('sends pushes made together as one batch and answers each', async () => {
    const { target, requests, join } = wired();
    const a = join('a');
    const answers = await Promise.all([target.push('a', '{"uid":"a","n":1}'), target.push('b', '{"uid":"b"}'), target.push('a', '{"uid":"a","n":2}')]);
    expect(answers).toEqual([1, 0, 1]);
    expect(requests).toEqual(['POST /push/batch {"uid":"a","n":1}\n{"uid":"b"}\n{"uid":"a","n":2}']);
    expect(a.sent).toEqual(['{"uid":"a","n":1}', '{"uid":"a","n":2}']);
  });

  it('rejects only the bad line of a batch with the server reason', async () => {
    const { target } = wired();
    const results = await Promise.allSettled([target.push('a', '{"uid":"a"}'), target.push('?', 'not json')]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 0 });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { status: 400, reason: 'invalid JSON', message: 'invalid JSON' } });
  });

  it('rejects with the upstream status when the token is wrong', async () => {
    const { target } = wired('wrong');
    await expect(target.push('a', '{"uid":"a"}')).rejects.toThrow('upstream 401: invalid publisher token');
    await expect(target.stats()).rejects.toThrow('upstream 401');
  });

  it('says when the upstream cannot be reached', async () => {
    const target = new HttpTarget({ url: 'http://x', token: 't', fetch: (async () => { throw new Error('ECONNREFUSED'); }) as typeof fetch });
    await expect(target.push('a', '{"uid":"a"}')).rejects.toThrow('upstream unreachable: ECONNREFUSED');
  });

  it('maps broadcast, online, kick and stats onto the API', async () => {
    const { target, join } = wired();
    join('a');
    join('a');
    expect(await target.online('a')).toBe(2);
    expect(await target.broadcast('hi')).toBe(2);
    expect(await target.kick('a', 'bye')).toBe(2);
    expect((await target.stats()).broadcasts).toBe(1);
  });
});
