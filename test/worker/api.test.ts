import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index.ts';
import { waitFor } from '../support/poll.ts';
import { api, client, open, post } from './helpers.ts';

describe('HTTP API errors', () => {
  it('refuses a missing or wrong token with 401 before doing anything', async () => {
    const missing = await api('/push', { method: 'POST', body: '{"uid":"x"}', headers: { authorization: '' } });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect((await missing.json<{ error: string }>()).error).toMatch(/Authorization/);
    const wrong = await api('/stats', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid publisher token' });
  });

  it('keeps the API shut with 503 when no PUSH_TOKEN is configured', async () => {
    const res = await worker.request('/push', { method: 'POST', body: '{"uid":"x"}' }, { ...env, PUSH_TOKEN: undefined });
    expect(res.status).toBe(503);
    expect((await res.json<{ error: string }>()).error).toMatch(/PUSH_TOKEN/);
  });

  it.each([
    ['not json', 'invalid JSON'],
    ['[1,2]', 'push must be a JSON object with a uid'],
    ['"uid"', 'push must be a JSON object with a uid'],
    ['{"percent":"88%"}', 'missing uid'],
    ['{"uid":true}', 'uid must be a string or an integer'],
    ['{"uid":1.5}', 'uid must be a string or a safe integer'],
    ['{"uid":""}', 'uid is empty'],
    ['', 'empty push'],
  ])('answers 400 for the body %j', async (body, error) => {
    expect(await post('/push', body)).toEqual({ status: 400, json: { error } });
  });

  it('answers 413 for a body over MAX_MESSAGE_BYTES and still serves the next push', async () => {
    const c = await client('big');
    const big = JSON.stringify({ uid: 'big', pad: 'x'.repeat(5000) });
    expect(await post('/push', big)).toEqual({ status: 413, json: { error: 'message is larger than 4096 bytes' } });
    expect((await post('/push', '{"uid":"big"}')).json.delivered).toBe(1);
    expect(c.messages).toEqual(['{"uid":"big"}']);
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    const missing = await api('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route for GET /nope' });
    const wrong = await api('/push', { method: 'GET' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('reports a bad setting as a configuration error naming it', async () => {
    const res = await worker.request('/stats', { headers: { authorization: 'Bearer test-token' } }, { ...env, MAX_BATCH: 'lots' });
    expect(res.status).toBe(500);
    expect((await res.json<{ error: string }>()).error).toBe('configuration error: MAX_BATCH must be a positive whole number, got "lots"');
  });

  it('answers GET / with the first page and wants an upgrade on /ws', async () => {
    expect(await (await api('/')).text()).toContain("from '/pushport-client.js'");
    expect((await api('/ws')).status).toBe(426);
  });

  it('refuses a bad ?uid= with 400 and no socket', async () => {
    const res = await api(`/ws?uid=${'u'.repeat(300)}`, { headers: { Upgrade: 'websocket' } });
    expect(res.status).toBe(400);
    expect(res.webSocket).toBeNull();
  });

  it('needs ?uid= when the deployment is sharded', async () => {
    const res = await worker.request('/ws', { headers: { Upgrade: 'websocket' } }, { ...env, SHARDS: '4' });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string }>()).error).toMatch(/SHARDS=4.*\?uid=/);
  });
});

describe('broadcast, batch, online, kick, stats', () => {
  it('broadcasts to identified clients only', async () => {
    const a = await client('bc-a');
    const b = await client('bc-b');
    const anonymous = await open();
    const { json } = await post('/broadcast', 'hello all');
    expect(json.delivered).toBeGreaterThanOrEqual(2);
    expect(await a.nth(1)).toBe('hello all');
    expect(await b.nth(1)).toBe('hello all');
    expect(anonymous.messages).toEqual([]);
    expect(await post('/broadcast', '')).toEqual({ status: 400, json: { error: 'empty message: the body is what every client receives' } });
  });

  it('answers each line of a batch in order; a bad line spoils nothing', async () => {
    const c = await client('batch-a');
    const body = '{"uid":"batch-a","n":1}\r\nnot json\n{"uid":"batch-missing"}\n{"uid":"batch-a","n":2}\n';
    const { status, json } = await post('/push/batch', body);
    expect(status).toBe(200);
    expect(json).toEqual({
      results: [
        { ok: true, delivered: 1 },
        { ok: false, error: 'invalid JSON' },
        { ok: false, delivered: 0 },
        { ok: true, delivered: 1 },
      ],
      delivered: 2,
    });
    await c.nth(2);
    expect(c.messages).toEqual(['{"uid":"batch-a","n":1}', '{"uid":"batch-a","n":2}']);
  });

  it('refuses an empty batch and one over MAX_BATCH', async () => {
    expect((await post('/push/batch', '')).status).toBe(400);
    const res = await worker.request('/push/batch', { method: 'POST', body: '{"uid":"a"}\n{"uid":"b"}\n', headers: { authorization: 'Bearer test-token' } }, { ...env, MAX_BATCH: '1' });
    expect(res.status).toBe(413);
  });

  it('tells who is online and disconnects a uid on DELETE', async () => {
    const a = await client('kick-me');
    await client('kick-me', 1);
    expect(await (await api('/online/kick-me')).json()).toEqual({ uid: 'kick-me', online: true, connections: 2 });
    const res = await api('/online/kick-me?reason=bye', { method: 'DELETE' });
    expect(await res.json()).toEqual({ uid: 'kick-me', closed: 2 });
    expect(await a.closed).toEqual({ code: 1000, reason: 'bye' });
    expect(await (await api('/online/kick-me')).json()).toEqual({ uid: 'kick-me', online: false, connections: 0 });
  });

  it('closes the oldest tab past MAX_CONNECTIONS_PER_UID', async () => {
    const first = await client('crowded');
    await client('crowded', 1);
    await client('crowded', 2);
    const fourth = await open();
    fourth.ws.send('crowded');
    expect((await first.closed).code).toBe(1008);
    await waitFor(async () => (await post('/push', '{"uid":"crowded"}')).json.delivered === 3, 'three tabs');
    expect(await fourth.nth(1)).toBe('{"uid":"crowded"}');
  });

  it('counts connections, uids and pushes in /stats', async () => {
    const before = await (await api('/stats')).json<Record<string, number>>();
    await client('stats-user');
    await post('/push', '{"uid":"stats-user"}');
    await post('/push', '{"uid":"stats-nobody"}');
    const after = await (await api('/stats')).json<Record<string, number>>();
    expect(after.pushes! - before.pushes!).toBe(2);
    expect(after.delivered! - before.delivered!).toBe(1);
    expect(after.failed! - before.failed!).toBe(1);
    expect(after.identified! - before.identified!).toBe(1);
    expect(after.uids! - before.uids!).toBe(1);
  });
});
