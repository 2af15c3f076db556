import { describe, expect, it } from 'vitest';
import { PushportClient, PushportError, QUEUED } from '../../../src/index.ts';

type Call = { method: string; path: string; body: string | undefined; auth: string | null };

/** A fake server: records each request and answers from `reply`, after a macrotask (as a network would). */
function fakeServer(reply: (call: Call) => { status?: number; json?: unknown; text?: string }) {
  const calls: Call[] = [];
  const fakeFetch = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const call = { method: init.method!, path: u.pathname + u.search, body: init.body as string | undefined, auth: new Headers(init.headers).get('authorization') };
    calls.push(call);
    await new Promise((r) => setTimeout(r, 0));
    const r = reply(call);
    return new Response(r.text ?? JSON.stringify(r.json), { status: r.status ?? 200 });
  }) as typeof fetch;
  return { calls, fetch: fakeFetch };
}

/** Answers a batch as a server holding one connection per uid in `online`. */
const batchReply = (online: string[]) => (call: Call) => {
  const results = call.body!.split('\n').map((line) => {
    try {
      const uid = String(JSON.parse(line).uid);
      return online.includes(uid) ? { ok: true, delivered: 1 } : { ok: false, delivered: 0 };
    } catch {
      return { ok: false, error: 'invalid JSON' };
    }
  });
  return { json: { results, delivered: 0 } };
};

describe('PushportClient', () => {
  it('sends one POST /push per push without batch, with the token, an object gaining its uid', async () => {
    const server = fakeServer(() => ({ json: { ok: true, delivered: 2 } }));
    const client = new PushportClient({ url: 'http://push.test/', token: 'tok', fetch: server.fetch });
    expect(await client.push('u1', { percent: '88%' })).toBe(2);
    expect(await client.push('u1', '{"uid":"u1","n":1}')).toBe(2);
    expect(server.calls).toEqual([
      { method: 'POST', path: '/push', body: '{"uid":"u1","percent":"88%"}', auth: 'Bearer tok' },
      { method: 'POST', path: '/push', body: '{"uid":"u1","n":1}', auth: 'Bearer tok' },
    ]);
  });

  it('adds ttl and id to an object push, answers QUEUED for a push that waits, and 429 as a PushportError', async () => {
    const queued = { ok: true, delivered: 0, queued: true };
    const server = fakeServer((c) => (c.path === '/push/batch'
      ? { json: { results: [queued], delivered: 0 } }
      : c.body!.includes('"full"')
        ? { status: 429, json: { error: 'queue full: 100 pushes wait for this uid already (MAX_QUEUED_PER_UID)' } }
        : { json: queued }));
    const client = new PushportClient({ url: 'http://push.test', token: 'tok', fetch: server.fetch });
    expect(await client.push('u1', { text: 'hi' }, { ttl: 300, id: 'order-17' })).toBe(QUEUED);
    expect(server.calls[0]!.body).toBe('{"uid":"u1","text":"hi","ttl":300,"id":"order-17"}');
    await expect(client.push('full', { n: 1 }, { ttl: 60 })).rejects.toMatchObject({ status: 429, reason: expect.stringMatching(/^queue full/) });
    const batched = new PushportClient({ url: 'http://push.test', token: 'tok', fetch: server.fetch });
    expect(await batched.pushMany([{ uid: 'u2', message: { n: 2 }, ttl: 60 }])).toEqual([QUEUED]);
    expect(server.calls.at(-1)!.body).toBe('{"uid":"u2","n":2,"ttl":60}');
  });

  it('with batch, sends the pushes of one tick as one /push/batch in call order and answers each', async () => {
    const server = fakeServer(batchReply(['a', 'c']));
    const client = new PushportClient({ url: 'http://push.test', token: 'tok', batch: true, fetch: server.fetch });
    const answers = await Promise.all([client.push('a', { n: 1 }), client.push('b', { n: 2 }), client.push('c', '{"uid":"c"}'), client.push('a', { n: 3 })]);
    expect(answers).toEqual([1, 0, 1, 1]);
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /push/batch']);
    expect(server.calls[0]!.body).toBe('{"uid":"a","n":1}\n{"uid":"b","n":2}\n{"uid":"c"}\n{"uid":"a","n":3}');
  });

  it('with batch, sends pushes of a later tick in the next request, after the first is answered', async () => {
    const server = fakeServer(batchReply(['a']));
    const client = new PushportClient({ url: 'http://push.test', token: 'tok', batch: true, fetch: server.fetch });
    const first = client.push('a', { n: 1 });
    await Promise.resolve();
    await Promise.resolve();
    const later = [client.push('a', { n: 2 }), client.push('a', { n: 3 })];
    expect(await Promise.all([first, ...later])).toEqual([1, 1, 1]);
    expect(server.calls.map((c) => c.body)).toEqual(['{"uid":"a","n":1}', '{"uid":"a","n":2}\n{"uid":"a","n":3}']);
  });

  it('throws a PushportError with the status and the server reason', async () => {
    const server = fakeServer((c) => (c.path === '/stats' ? { status: 401, json: { error: 'invalid publisher token' } } : { status: 400, json: { error: 'missing uid' } }));
    const client = new PushportClient({ url: 'http://push.test', token: 'bad', fetch: server.fetch });
    await expect(client.stats()).rejects.toMatchObject({ name: 'PushportError', status: 401, reason: 'invalid publisher token' });
    const err = await client.push('x', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushportError);
    // There is no upstream here: the message names the server the SDK called.
    expect(err).toMatchObject({ status: 400, reason: 'missing uid', message: 'pushport answered 400: missing uid' });
  });

  it('throws with status 0 when unreachable, and says when the answer is not JSON', async () => {
    const down = new PushportClient({ url: 'http://x', token: 't', fetch: (async () => { throw new Error('ECONNREFUSED'); }) as typeof fetch });
    await expect(down.online('a')).rejects.toMatchObject({ status: 0, reason: 'ECONNREFUSED', message: 'pushport unreachable: ECONNREFUSED' });
    const proxy = new PushportClient({ url: 'http://x', token: 't', fetch: fakeServer(() => ({ status: 502, text: 'Bad Gateway' })).fetch });
    await expect(proxy.online('a')).rejects.toMatchObject({ status: 502, reason: 'answered without JSON: Bad Gateway' });
  });

  it('rejects only the refused push of a batch, with its reason', async () => {
    const client = new PushportClient({ url: 'http://x', token: 't', batch: true, fetch: fakeServer(batchReply(['a'])).fetch });
    const results = await Promise.allSettled([client.push('a', '{"uid":"a"}'), client.push('a', 'not json')]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { status: 400, reason: 'invalid JSON' } });
  });

  it('refuses an object that names another uid before sending anything', async () => {
    const server = fakeServer(() => ({ json: { ok: true, delivered: 1 } }));
    const client = new PushportClient({ url: 'http://x', token: 't', fetch: server.fetch });
    await expect(client.push('a', { uid: 'b' })).rejects.toThrow(/carries uid "b"/);
    expect(server.calls).toEqual([]);
  });

  it('pushMany goes in requests of maxBatch and answers in order; a refused line throws which push it was', async () => {
    const server = fakeServer(batchReply(['a']));
    const client = new PushportClient({ url: 'http://x', token: 't', maxBatch: 2, fetch: server.fetch });
    expect(await client.pushMany([{ uid: 'a', message: {} }, { uid: 'b', message: {} }, { uid: 'a', message: { n: 1 } }])).toEqual([1, 0, 1]);
    expect(server.calls.map((c) => c.body)).toEqual(['{"uid":"a"}\n{"uid":"b"}', '{"uid":"a","n":1}']);
    await expect(client.pushMany([{ uid: 'a', message: {} }, { uid: 'a', message: 'oops' }])).rejects.toMatchObject({ status: 400, reason: 'push 2: invalid JSON' });
  });

  it('maps broadcast, online, onlineMany, kick and stats onto the API', async () => {
    const server = fakeServer((c) => ({
      json: c.path === '/broadcast' ? { delivered: 3 } : c.path.startsWith('/online?') ? { 'a b': 1, 'c,d': 0 }
        : c.method === 'DELETE' ? { uid: 'a b', closed: 1 } : c.path === '/stats' ? { connections: 3 } : { uid: 'a b', online: true, connections: 1 },
    }));
    const client = new PushportClient({ url: 'http://x', token: 't', fetch: server.fetch });
    expect(await client.broadcast({ notice: 'hi' })).toBe(3);
    expect(await client.online('a b')).toBe(1);
    expect(await client.onlineMany(['a b', 'c,d'])).toEqual({ 'a b': 1, 'c,d': 0 });
    expect(await client.kick('a b', 'bye now')).toBe(1);
    expect(await client.stats()).toEqual({ connections: 3 });
    expect(server.calls.map((c) => `${c.method} ${c.path} ${c.body ?? ''}`)).toEqual([
      'POST /broadcast {"notice":"hi"}',
      'GET /online/a%20b ',
      'GET /online?uids=a%20b,c%2Cd ',
      'DELETE /online/a%20b?reason=bye%20now ',
      'GET /stats ',
    ]);
  });

  it('asks onlineMany in requests of maxBatch uids and merges the answers', async () => {
    const server = fakeServer((c) => ({ json: Object.fromEntries(c.path.slice('/online?uids='.length).split(',').map((u) => [u, 1])) }));
    const client = new PushportClient({ url: 'http://x', token: 't', maxBatch: 2, fetch: server.fetch });
    expect(await client.onlineMany(['a', 'b', 'c'])).toEqual({ a: 1, b: 1, c: 1 });
    expect(server.calls.map((c) => c.path)).toEqual(['/online?uids=a,b', '/online?uids=c']);
    expect(await client.onlineMany([])).toEqual({});
    const proto = new PushportClient({ url: 'http://x', token: 't', fetch: fakeServer(() => ({ text: '{"__proto__":2}' })).fetch });
    expect(Object.entries(await proto.onlineMany(['__proto__']))).toEqual([['__proto__', 2]]);
  });
});

describe('PushportClient groups', () => {
  it('calls each group route with the names encoded, and reads the pages until the last', async () => {
    const pages: Record<string, unknown> = {
      '/groups/a%2Fb/members?limit=1': { uids: ['u1'], cursor: 'u1' },
      '/groups/a%2Fb/members?limit=1&cursor=u1': { uids: ['u2'] },
    };
    const server = fakeServer((call) => {
      if (call.path in pages) return { json: pages[call.path] };
      if (call.method === 'PUT') return { json: { joined: true } };
      if (call.method === 'POST' && call.path === '/groups/a%2Fb/members') return { json: { joined: JSON.parse(call.body!).uids.length } };
      if (call.method === 'POST') return { json: { ok: true, delivered: 2 } };
      return { json: { left: true, removed: 3, groups: ['a/b'], group: 'a/b', members: 2, online: 1, connections: 1 } };
    });
    const sdk = new PushportClient({ url: 'http://x', token: 't', fetch: server.fetch, maxBatch: 2 });
    expect(await sdk.joinGroup('a/b', 'u 1')).toBe(1);
    expect(await sdk.joinGroup('a/b', ['u1', 'u2', 'u3'])).toBe(3);
    expect(await sdk.pushToGroup('a/b', { text: 'hi' }, { except: 'u1', ttl: 5 })).toBe(2);
    const seen: string[][] = [];
    for await (const page of sdk.groupMembers('a/b', { limit: 1 })) seen.push(page);
    expect(seen).toEqual([['u1'], ['u2']]);
    expect(await sdk.leaveGroup('a/b', 'u1')).toBe(true);
    expect(await sdk.groupsOf('u1')).toEqual(['a/b']);
    expect(await sdk.removeGroup('a/b')).toBe(3);
    expect(server.calls.map((c) => `${c.method} ${c.path} ${c.body ?? ''}`.trim())).toEqual([
      'PUT /groups/a%2Fb/members/u%201',
      'POST /groups/a%2Fb/members {"uids":["u1","u2"]}',
      'POST /groups/a%2Fb/members {"uids":["u3"]}',
      'POST /push {"group":"a/b","text":"hi","except":"u1","ttl":5}',
      'GET /groups/a%2Fb/members?limit=1',
      'GET /groups/a%2Fb/members?limit=1&cursor=u1',
      'DELETE /groups/a%2Fb/members/u1',
      'GET /groups?uid=u1',
      'DELETE /groups/a%2Fb',
    ]);
  });

  it('refuses an object group push that names a uid or another group', async () => {
    const sdk = new PushportClient({ url: 'http://x', token: 't', fetch: fakeServer(() => ({ json: {} })).fetch });
    await expect(sdk.pushToGroup('g', { uid: 'u' })).rejects.toThrow(TypeError);
    await expect(sdk.pushToGroup('g', { group: 'h' })).rejects.toThrow(/carries group "h"/);
  });
});
