import { checkUid } from '../wire/uid.ts';

// Loaded when signed mode is first used: a server in compatible mode never carries the JWT code.
const jwt = () => import('hono/jwt');

/** A verified client token's uid, or why it was refused. */
export type ClientTokenCheck = { uid: string } | { error: string };

/**
 * Makes a signed client token: a standard JWT (HS256) whose `sub` is the uid, valid for `ttlSeconds`.
 * Any backend's JWT library can make the same token with the shared CLIENT_SECRET.
 */
export async function signClientToken(uid: string, secret: string, ttlSeconds = 3600, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  const { sign } = await jwt();
  return sign({ sub: uid, iat, exp: iat + ttlSeconds }, secret, 'HS256');
}

/**
 * Checks a client token before its socket is accepted: HS256 only, signature, `exp` required and in the
 * future, and `sub` a valid uid.
 */
export async function verifyClientToken(token: string, secret: string, maxUidBytes: number): Promise<ClientTokenCheck> {
  let payload: Record<string, unknown>;
  const { verify } = await jwt();
  try {
    payload = await verify(token, secret, 'HS256');
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'JwtTokenExpired') return { error: 'client token expired' };
    return { error: 'invalid client token' };
  }
  // A token without expiry would be a password that can never be revoked.
  if (typeof payload.exp !== 'number') return { error: 'client token has no exp' };
  const uid = checkUid(payload.sub, maxUidBytes);
  return 'error' in uid ? { error: `client token sub: ${uid.error}` } : uid;
}
