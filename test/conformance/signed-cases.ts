import { describe, expect, it } from 'vitest';
import { signClientToken } from '../../src/index.ts';
import { upgrade } from '../support/ws-client.ts';
import { http, online, wsClient } from './clients.ts';
import type { ConformanceTarget } from './target.ts';

/** Signed mode (README "Signed mode"): the uid comes only from a valid token; anything else is 401 before a socket. */
export function signedCases(target: () => ConformanceTarget, prefix: string): void {
  const uid = (name: string) => `${prefix}-signed-${name}`;
  const secret = () => target().clientSecret!;

  describe('signed mode', () => {
    it.each([
      ['no token', async () => '/ws', /needs a signed client token/],
      ['a claimed ?uid= alone', async () => `/ws?uid=${uid('victim')}`, /needs a signed client token/],
      ['a forged token', async () => `/ws?token=${await signClientToken(uid('victim'), 'wrong-secret', 60)}`, /invalid client token/],
      ['an expired token', async () => `/ws?token=${await signClientToken(uid('victim'), secret(), 60, Date.now() - 7200_000)}`, /expired/],
    ])('refuses %s with 401 and the reason, and no socket', async (_name, path, error) => {
      const outcome = await upgrade(`${target().wsUrl}${await path()}`);
      expect(outcome).toMatchObject({ status: 401 });
      expect('body' in outcome && JSON.parse(outcome.body).error).toMatch(error);
      expect(await online(target(), uid('victim'))).toBe(0);
    });

    it('takes the uid from the token: a claimed ?uid= beside it and a uid sent after are ignored', async () => {
      const token = await signClientToken(uid('real'), secret(), 60);
      const outcome = await upgrade(`${target().wsUrl}/ws?uid=${uid('claimed')}&token=${token}`);
      if (!('open' in outcome)) throw new Error(`refused with ${outcome.status}: ${outcome.body}`);
      const c = outcome.open;
      await expect.poll(() => online(target(), uid('real'))).toBe(1);
      c.ws.send(uid('sent'));
      // Pushes to the claimed and the sent uid reach nobody; the token's uid gets its own, as pushed.
      for (const other of [uid('claimed'), uid('sent')]) expect((await http(target(), 'POST', '/push', `{"uid":"${other}"}`)).json.delivered).toBe(0);
      const own = `{"uid":"${uid('real')}"}`;
      expect((await http(target(), 'POST', '/push', own)).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => c.messages).toEqual([own]);
      c.ws.close();
    });

    it('lets a client of one uid in with a valid token, as wsClient does', async () => {
      const c = await wsClient(target(), uid('plain'));
      expect(await online(target(), uid('plain'))).toBe(1);
      c.ws.close();
    });
  });
}
