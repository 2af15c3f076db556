import { describe, expect, it } from 'vitest';
import { PushportClient } from '../../src/index.ts';
import { http, online, wsClient } from './clients.ts';
import type { ConformanceTarget } from './target.ts';

/**
 * The WebSocket and HTTP API cases every target must pass the same way. Targets run with MAX_MESSAGE_BYTES=4096.
 * `signed`: the target runs in signed mode, where a client names no uid itself (signed-cases.ts covers that).
 */
export function httpCases(target: () => ConformanceTarget, prefix: string, options: { signed?: boolean } = {}): void {
  const uid = (name: string) => `${prefix}-${name}`;

  describe('clients and pushes', () => {
    it('delivers the exact body to the uid the client sent first', async () => {
      const c = await wsClient(target(), uid('alice'));
      const body = `{"uid":"${uid('alice')}", "percent":"88%", "text":"héllo ✓"}`;
      expect((await http(target(), 'POST', '/push', body)).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => c.messages).toEqual([body]);
      c.ws.close();
    });

    it('answers ok:false for a uid nobody holds', async () => {
      expect(await http(target(), 'POST', '/push', `{"uid":"${uid('nobody')}"}`)).toMatchObject({ status: 200, json: { ok: false, delivered: 0 } });
    });

    it('reaches "123" with an integer uid', async () => {
      const n = 100000 + Math.floor(Math.random() * 100000);
      const c = await wsClient(target(), String(n));
      expect((await http(target(), 'POST', '/push', `{"uid":${n}}`)).json.delivered).toBe(1);
      await expect.poll(() => c.messages).toEqual([`{"uid":${n}}`]);
      c.ws.close();
    });

    it('reaches every tab, and the rest after one closes', async () => {
      const a = await wsClient(target(), uid('tabs'));
      const b = await wsClient(target(), uid('tabs'));
      const first = `{"uid":"${uid('tabs')}"}`;
      const second = `{"uid":"${uid('tabs')}","n":2}`;
      expect((await http(target(), 'POST', '/push', first)).json.delivered).toBe(2);
      await expect.poll(() => a.messages).toEqual([first]);
      await expect.poll(() => b.messages).toEqual([first]);
      a.ws.close();
      await a.closed;
      await expect.poll(() => online(target(), uid('tabs'))).toBe(1);
      expect((await http(target(), 'POST', '/push', second)).json.delivered).toBe(1);
      await expect.poll(() => b.messages).toEqual([first, second]);
      b.ws.close();
    });

    if (!options.signed) it('identifies with ?uid= at connect time', async () => {
      const c = await wsClient(target(), undefined, `/ws?uid=${uid('query')}`);
      await expect.poll(() => online(target(), uid('query'))).toBe(1);
      c.ws.close();
    });

    it('answers ping with pong, and sends nothing else', async () => {
      const c = await wsClient(target(), uid('pinger'));
      c.ws.send('ping');
      await expect.poll(() => c.messages).toEqual(['pong']);
      // A push after the pong is the barrier: whatever else the ping caused would have arrived before it.
      const after = `{"uid":"${uid('pinger')}","after":"pong"}`;
      expect((await http(target(), 'POST', '/push', after)).json.delivered).toBe(1);
      await expect.poll(() => c.messages.length).toBe(2);
      expect(c.messages).toEqual(['pong', after]);
      c.ws.close();
    });

    if (!options.signed) it('answers ping as the first message with pong, and never takes it as a uid', async () => {
      const c = await wsClient(target());
      c.ws.send('ping');
      await expect.poll(() => c.messages).toEqual(['pong']);
      expect(await online(target(), 'ping')).toBe(0);
      // The next message is still the uid.
      c.ws.send(uid('after-ping'));
      await expect.poll(() => online(target(), uid('after-ping'))).toBe(1);
      const push = `{"uid":"${uid('after-ping')}"}`;
      expect((await http(target(), 'POST', '/push', push)).json.delivered).toBe(1);
      await expect.poll(() => c.messages).toEqual(['pong', push]);
      c.ws.close();
    });

    if (!options.signed) it('broadcasts to identified clients only', async () => {
      const a = await wsClient(target(), uid('bc'));
      const anonymous = await wsClient(target());
      const { json } = await http(target(), 'POST', '/broadcast', 'to all');
      expect(json.delivered).toBeGreaterThanOrEqual(1);
      await expect.poll(() => a.messages).toEqual(['to all']);
      expect(anonymous.messages).toEqual([]);
      a.ws.close();
      anonymous.ws.close();
    });

    it('tells who is online and disconnects a uid', async () => {
      const a = await wsClient(target(), uid('kick'));
      expect((await http(target(), 'GET', `/online/${uid('kick')}`)).json).toEqual({ uid: uid('kick'), online: true, connections: 1 });
      expect((await http(target(), 'DELETE', `/online/${uid('kick')}?reason=bye`)).json).toEqual({ uid: uid('kick'), closed: 1 });
      expect(await a.closed).toEqual({ code: 1000, reason: 'bye' });
      expect(await online(target(), uid('kick'))).toBe(0);
    });

    it('counts pushes and connections in /stats', async () => {
      const before = (await http(target(), 'GET', '/stats')).json;
      const c = await wsClient(target(), uid('stats'));
      await http(target(), 'POST', '/push', `{"uid":"${uid('stats')}"}`);
      await http(target(), 'POST', '/push', `{"uid":"${uid('stats-none')}"}`);
      const after = (await http(target(), 'GET', '/stats')).json;
      expect(after.pushes - before.pushes).toBe(2);
      expect(after.failed - before.failed).toBe(1);
      expect(after.identified - before.identified).toBe(1);
      c.ws.close();
    });

    it('answers a batch line by line', async () => {
      const c = await wsClient(target(), uid('batch'));
      const body = `{"uid":"${uid('batch')}","n":1}\nnot json\n{"uid":"${uid('batch-none')}"}\n`;
      expect((await http(target(), 'POST', '/push/batch', body)).json).toEqual({
        results: [{ ok: true, delivered: 1 }, { ok: false, error: 'invalid JSON' }, { ok: false, delivered: 0 }],
        delivered: 1,
      });
      c.ws.close();
    });
  });

  describe('presence of many uids in one call', () => {
    const query = (uids: string[]) => `/online?uids=${uids.map(encodeURIComponent).join(',')}`;

    it('answers every uid listed, keyed by uid in list order, one count per connection', async () => {
      const a1 = await wsClient(target(), uid('many-a'));
      const a2 = await wsClient(target(), uid('many-a'));
      const b = await wsClient(target(), uid('many b,c'));
      const uids = [uid('many-a'), uid('many b,c'), uid('many-none')];
      const reply = await http(target(), 'GET', query(uids));
      expect(reply).toMatchObject({ status: 200, json: { [uids[0]!]: 2, [uids[1]!]: 1, [uids[2]!]: 0 } });
      expect(Object.keys(reply.json)).toEqual(uids);
      for (const c of [a1, a2, b]) c.ws.close();
      await expect.poll(async () => (await http(target(), 'GET', query(uids))).json[uids[0]!]).toBe(0);
    });

    it.each([
      ['an empty list', '/online?uids=', 'uids is empty: list at least one uid'],
      ['no list', '/online', 'missing ?uids=: list the uids, comma-separated and URL-encoded'],
      ['an empty uid', '/online?uids=a,,b', 'uid 2 of uids: uid is empty'],
      ['bad encoding', '/online?uids=%E2%9C', 'uid 1 of uids is not valid URL encoding'],
      ['1001 uids', `/online?uids=${Array.from({ length: 1001 }, (_, i) => i).join(',')}`, expect.stringMatching(/^uids lists 1001 uids; at most \d+ \(MAX_BATCH\)$/)],
    ])('answers 400 with the reason for %s', async (_name, path, error) => {
      expect(await http(target(), 'GET', path)).toMatchObject({ status: 400, json: { error } });
    });

    it('refuses a missing or wrong token with 401', async () => {
      expect((await http(target(), 'GET', '/online?uids=a', undefined, '')).status).toBe(401);
      expect(await http(target(), 'GET', '/online?uids=a', undefined, 'wrong')).toMatchObject({ status: 401, json: { error: 'invalid publisher token' } });
    });
  });

  describe('the server SDK (PushportClient)', () => {
    it('pushes (batched in one tick), asks presence, broadcasts, kicks and reads stats', async () => {
      const t = target();
      const sdk = new PushportClient({ url: t.httpUrl, token: t.token, batch: true });
      const c = await wsClient(t, uid('sdk'));
      expect(await Promise.all([sdk.push(uid('sdk'), { n: 1 }), sdk.push(uid('sdk-none'), { n: 2 }), sdk.push(uid('sdk'), { n: 3 })])).toEqual([1, 0, 1]);
      expect(await sdk.pushMany([{ uid: uid('sdk'), message: { n: 4 } }, { uid: uid('sdk-none'), message: {} }])).toEqual([1, 0]);
      await expect.poll(() => c.messages).toEqual([1, 3, 4].map((n) => JSON.stringify({ uid: uid('sdk'), n })));
      expect(await sdk.online(uid('sdk'))).toBe(1);
      expect(await sdk.onlineMany([uid('sdk'), uid('sdk-none')])).toEqual({ [uid('sdk')]: 1, [uid('sdk-none')]: 0 });
      expect(await sdk.broadcast('to all from the sdk')).toBeGreaterThanOrEqual(1);
      expect((await sdk.stats()).identified).toBeGreaterThanOrEqual(1);
      expect(await sdk.kick(uid('sdk'), 'bye')).toBe(1);
      expect(await c.closed).toEqual({ code: 1000, reason: 'bye' });
      const wrong = new PushportClient({ url: t.httpUrl, token: 'wrong' });
      await expect(wrong.push(uid('sdk'), {})).rejects.toMatchObject({ name: 'PushportError', status: 401, reason: 'invalid publisher token' });
    });
  });

  describe('bad requests', () => {
    it('refuses a missing or wrong token with 401', async () => {
      expect((await http(target(), 'POST', '/push', '{"uid":"x"}', '')).status).toBe(401);
      expect(await http(target(), 'GET', '/stats', undefined, 'wrong')).toMatchObject({ status: 401, json: { error: 'invalid publisher token' } });
    });

    it.each([
      ['not json', 'invalid JSON'],
      ['[1]', 'push must be a JSON object with a uid'],
      ['{"percent":"88%"}', 'missing uid'],
      ['{"uid":true}', 'uid must be a string or an integer'],
      ['{"uid":""}', 'uid is empty'],
    ])('answers 400 for %j', async (body, error) => {
      expect(await http(target(), 'POST', '/push', body)).toMatchObject({ status: 400, json: { error } });
    });

    it('answers plain HTTP on the client entry: the first page on /, a wish for an upgrade on /ws', async () => {
      const page = await http(target(), 'GET', '/', undefined, '');
      expect(page).toMatchObject({ status: 200, json: expect.stringContaining("import { PushportSocket } from '/pushport-client.js'") });
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const client = await http(target(), 'GET', '/pushport-client.js', undefined, '');
      expect(client).toMatchObject({ status: 200, json: expect.stringContaining('PushportSocket') });
      expect(client.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await http(target(), 'GET', '/ws', undefined, '')).toMatchObject({ status: 426, json: { error: expect.stringMatching(/Upgrade/) } });
    });

    it('answers 413 past MAX_MESSAGE_BYTES, 404 and 405', async () => {
      expect((await http(target(), 'POST', '/push', JSON.stringify({ uid: 'x', pad: 'p'.repeat(5000) }))).status).toBe(413);
      expect((await http(target(), 'GET', '/nope')).status).toBe(404);
      const wrong = await http(target(), 'GET', '/push');
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
    });
  });
}
