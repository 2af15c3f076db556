import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signClientToken } from '../../src/index.ts';
import worker from '../../worker/index.ts';
import { post } from './helpers.ts';

const secret = 'client-secret';
const signedEnv = () => ({ ...env, CLIENT_SECRET: secret });
const upgrade = { headers: { Upgrade: 'websocket' } };

describe('signed mode (CLIENT_SECRET set)', () => {
  it('takes the uid from a valid token, and ignores what the client sends after', async () => {
    const token = await signClientToken('signed-user', secret, 60);
    const res = await worker.request(`/ws?token=${token}`, upgrade, signedEnv());
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    ws.accept();
    const got: string[] = [];
    ws.addEventListener('message', (e) => {
      got.push(String(e.data));
    });
    ws.send('somebody-else');
    await expect.poll(async () => (await post('/push', '{"uid":"signed-user"}')).json.delivered).toBe(1);
    expect((await post('/push', '{"uid":"somebody-else"}')).json.delivered).toBe(0);
    // The one push that reached it is its own, as pushed; the one to the uid it claimed never came.
    await expect.poll(() => got).toEqual(['{"uid":"signed-user"}']);
  });

  it.each([
    ['no token', async () => '/ws', /needs a signed client token/],
    ['a claimed ?uid= instead of a token', async () => '/ws?uid=victim', /needs a signed client token/],
    ['a forged token', async () => `/ws?token=${await signClientToken('victim', 'wrong-secret', 60)}`, /invalid client token/],
    ['an expired token', async () => `/ws?token=${await signClientToken('victim', secret, 60, Date.now() - 7200_000)}`, /expired/],
  ])('refuses %s with 401 and no socket', async (_, path, error) => {
    const res = await worker.request(await path(), upgrade, signedEnv());
    expect(res.status).toBe(401);
    expect(res.webSocket).toBeNull();
    expect((await res.json<{ error: string }>()).error).toMatch(error);
  });

  it('routes a signed client to its shard when sharded', async () => {
    const token = await signClientToken('sharded-signed', secret, 60);
    const res = await worker.request(`/ws?token=${token}`, upgrade, { ...signedEnv(), SHARDS: '4' });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    const pushed = await worker.request('/push', { method: 'POST', body: '{"uid":"sharded-signed"}', headers: { authorization: 'Bearer test-token' } }, { ...env, SHARDS: '4' });
    expect(await pushed.json()).toEqual({ ok: true, delivered: 1 });
  });
});
