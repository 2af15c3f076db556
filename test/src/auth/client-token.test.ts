import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { signClientToken, verifyClientToken } from '../../../src/index.ts';

const secret = 'client-secret';

describe('client tokens', () => {
  it('round-trips a uid', async () => {
    const token = await signClientToken('uid1', secret, 60);
    expect(token.split('.')).toHaveLength(3);
    expect(await verifyClientToken(token, secret, 64)).toEqual({ uid: 'uid1' });
  });

  it('accepts a token any JWT library would make, integer sub included', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    expect(await verifyClientToken(await sign({ sub: 42, exp }, secret, 'HS256'), secret, 64)).toEqual({ uid: '42' });
  });

  it.each([
    ['a forged signature', async () => signClientToken('uid1', 'other-secret', 60), 'invalid client token'],
    ['an expired token', async () => signClientToken('uid1', secret, 60, Date.now() - 3600_000), 'client token expired'],
    ['no exp', async () => sign({ sub: 'uid1' }, secret, 'HS256'), 'client token has no exp'],
    ['no sub', async () => sign({ exp: Math.floor(Date.now() / 1000) + 60 }, secret, 'HS256'), 'client token sub: missing uid'],
    ['another algorithm', async () => sign({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 60 }, secret, 'HS512'), 'invalid client token'],
    ['garbage', async () => 'not.a.token', 'invalid client token'],
  ])('refuses %s', async (_, make, error) => {
    expect(await verifyClientToken(await make(), secret, 64)).toEqual({ error });
  });
});
