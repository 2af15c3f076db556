/** The outcome of checking a publisher's bearer token. */
export type TokenCheck = 'ok' | 'unconfigured' | 'missing' | 'invalid';

/**
 * Compares a given secret with the expected one in time that depends only on the expected one's length, so
 * neither where a guess differs nor how long it is shows. Synchronous, unlike a WebCrypto digest, so a
 * request's token check costs no trip through a thread pool (the local server's HTTP API answered a
 * broadcast about a millisecond later for it).
 */
export function secretsEqual(given: string, expected: string): boolean {
  let diff = given.length ^ expected.length;
  // Past the end of `given`, charCodeAt is NaN and `| 0` makes it 0: the loop never ends early.
  for (let i = 0; i < expected.length; i++) diff |= (given.charCodeAt(i) | 0) ^ expected.charCodeAt(i);
  return diff === 0;
}

/** Checks an `Authorization: Bearer <token>` header against the configured token. */
export function checkBearer(authorization: string | null | undefined, expected: string | undefined): TokenCheck {
  if (!expected) return 'unconfigured';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return 'missing';
  return secretsEqual(match[1]!, expected) ? 'ok' : 'invalid';
}
