import { describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, createPushApp, defaultLimits } from '../../../src/index.ts';
import { hubTarget } from '../hub-target.ts';
import { FakeSocket } from '../fake-socket.ts';

/** The HTTP API over a local hub, the way the emulator will mount it. */
function appOver(hub: Hub<FakeSocket>, token: string | null = 'tok') {
  const target = hubTarget(hub);
  return createPushApp({ settings: () => ({ token: token ?? undefined, limits: { ...defaultLimits, maxMessageBytes: 64 } }), target: () => target });
}

const auth = { authorization: 'Bearer tok' };

describe('createPushApp over a local hub', () => {
  it('pushes and answers with the delivered count', async () => {
    const hub = new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits);
    const s = new FakeSocket();
    hub.connect(s);
    hub.receive(s, 'u 1');
    const app = appOver(hub);
    const res = await app.request('/push', { method: 'POST', body: '{"uid":"u 1","x":1}', headers: auth });
    expect(await res.json()).toEqual({ ok: true, delivered: 1 });
    expect(s.sent).toEqual(['{"uid":"u 1","x":1}']);
    expect(await (await app.request('/online/u%201', { headers: auth })).json()).toEqual({ uid: 'u 1', online: true, connections: 1 });
  });

  it('answers the presence of many uids in one request, keyed by uid, and refuses a bad list with 400', async () => {
    const hub = new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits);
    for (const uid of ['a', 'a', 'b,c']) {
      const s = new FakeSocket();
      hub.connect(s);
      hub.receive(s, uid);
    }
    const app = appOver(hub);
    const res = await app.request('/online?uids=a,b%2Cc,nobody', { headers: auth });
    expect(await res.text()).toBe('{"a":2,"b,c":1,"nobody":0}\n');
    const bad = await app.request('/online?uids=', { headers: auth });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'uids is empty: list at least one uid' });
    expect((await app.request(`/online?uids=${'x,'.repeat(1000)}x`, { headers: auth })).status).toBe(400);
    expect((await app.request('/online?uids=a')).status).toBe(401);
    expect(await (await app.request('/online/a', { headers: auth })).json()).toEqual({ uid: 'a', online: true, connections: 2 });
  });

  it('ends every JSON reply, errors included, with a newline (curl output does not run into the prompt)', async () => {
    const app = appOver(new Hub(new MemoryRegistry(), defaultLimits));
    const replies = [
      await app.request('/push', { method: 'POST', body: '{"uid":"nobody"}', headers: auth }),
      await app.request('/stats', { headers: auth }),
      await app.request('/push', { method: 'POST', body: 'not json', headers: auth }),
      await app.request('/stats'),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 400, 401]);
    for (const reply of replies) {
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await reply.text();
      expect(text.endsWith('}\n')).toBe(true);
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it('is shut without a token (503), whatever the route', async () => {
    const app = appOver(new Hub(new MemoryRegistry(), defaultLimits), null);
    for (const [path, method] of [['/push', 'POST'], ['/stats', 'GET'], ['/online/x', 'DELETE']] as const) {
      expect((await app.request(path, { method, headers: auth })).status).toBe(503);
    }
  });

  it('answers 413 for a streamed body over the limit, without Content-Length', async () => {
    const app = appOver(new Hub(new MemoryRegistry(), defaultLimits));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(30)));
        controller.close();
      },
    });
    const res = await app.request('/push', { method: 'POST', body, headers: auth, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'message is larger than 64 bytes' });
  });

  it('refuses a kick reason too long for a close frame', async () => {
    const app = appOver(new Hub(new MemoryRegistry(), defaultLimits));
    const res = await app.request(`/online/x?reason=${'r'.repeat(124)}`, { method: 'DELETE', headers: auth });
    expect(res.status).toBe(400);
  });
});
