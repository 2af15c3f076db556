import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { checkBearer } from '../auth/publisher-token.ts';
import { jsonReply } from '../json-reply.ts';

/** The JSON error every route answers with: `{ "error": reason }` and a real status code. */
export function jsonError(c: Context, status: 400 | 401 | 404 | 405 | 409 | 413 | 429 | 500 | 501 | 502 | 503, error: string, headers?: Record<string, string>): Response {
  return jsonReply(c, { error }, status, headers);
}

// A refused body is discarded so the connection can serve the next request; past this much it is cheaper
// to close the connection than to read what was refused, so the reply says so.
const maxBytesToDiscard = 8 * 1024 * 1024;

/** The body size a request declares (Content-Length without chunking), or undefined when it declares none. */
export function declaredLength(c: Context): number | undefined {
  const length = c.req.header('content-length');
  if (length === undefined || c.req.header('transfer-encoding') !== undefined) return undefined;
  const value = Number(length);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

// Headers for a refusal that leaves the body unread: a keep-alive client must not wait on a connection we close.
function unreadBodyHeaders(c: Context): Record<string, string> {
  return (declaredLength(c) ?? 0) > maxBytesToDiscard ? { Connection: 'close' } : {};
}

/** Lets a request through only with the publisher token; with none configured the API stays shut. Reads no body. */
export function requirePublisher(token: (c: Context) => string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const result = checkBearer(c.req.header('authorization'), token(c));
    if (result === 'ok') return next();
    if (result === 'unconfigured') {
      return jsonError(c, 503, 'the push API is disabled until a publisher token is set: configure PUSH_TOKEN and send it as "Authorization: Bearer <token>"', unreadBodyHeaders(c));
    }
    const why = result === 'missing' ? 'missing "Authorization: Bearer <token>" header' : 'invalid publisher token';
    return jsonError(c, 401, why, { 'WWW-Authenticate': 'Bearer realm="pushport"', ...unreadBodyHeaders(c) });
  };
}

/**
 * Refuses a body over the limit with 413: on its declared length without touching the body (so the server
 * can discard it and keep the connection), else while reading it. The limit may change per request.
 */
export function limitBody(maxBytes: (c: Context) => number, what: string): MiddlewareHandler {
  return (c, next) => {
    const max = maxBytes(c);
    const tooLarge = (c: Context) => jsonError(c, 413, `${what} is larger than ${max} bytes`, unreadBodyHeaders(c));
    const declared = declaredLength(c);
    // A declared length is what the runtime reads, no more: checked here, the body is never turned into a
    // stream just to be measured, and the route reads it on the runtime's fast path.
    if (declared !== undefined) return declared > max ? Promise.resolve(tooLarge(c)) : next();
    return bodyLimit({ maxSize: max, onError: tooLarge })(c, next);
  };
}
