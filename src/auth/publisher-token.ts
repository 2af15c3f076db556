/** The outcome of checking a publisher's bearer token. */
export type TokenCheck = 'ok' | 'unconfigured' | 'missing' | 'invalid';

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * Compares two secrets in time that does not depend on where they differ: both are hashed first, so
 * the comparison also leaks nothing about the expected length.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Checks an `Authorization: Bearer <token>` header against the configured token. */
export async function checkBearer(authorization: string | null | undefined, expected: string | undefined): Promise<TokenCheck> {
  if (!expected) return 'unconfigured';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return 'missing';
  return (await secretsEqual(match[1]!, expected)) ? 'ok' : 'invalid';
}
