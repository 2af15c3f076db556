import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { checkBearer } from '../auth/publisher-token.ts';

/** The JSON error every route answers with: `{ "error": reason }` and a real status code. */
export function jsonError(c: Context, status: 400 | 401 | 404 | 405 | 413 | 500 | 503, error: string, headers?: Record<string, string>): Response {
  return c.json({ error }, status, headers);
}

/** Lets a request through only with the publisher token; with none configured the API stays shut. */
export function requirePublisher(token: (c: Context) => string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const result = await checkBearer(c.req.header('authorization'), token(c));
    if (result === 'ok') return next();
    if (result === 'unconfigured') {
      return jsonError(c, 503, 'the push API is disabled until a publisher token is set: configure PUSH_TOKEN and send it as "Authorization: Bearer <token>"');
    }
    const why = result === 'missing' ? 'missing "Authorization: Bearer <token>" header' : 'invalid publisher token';
    return jsonError(c, 401, why, { 'WWW-Authenticate': 'Bearer realm="pushport"' });
  };
}

/** Refuses a body over the limit with 413 before it is read whole; the limit may change per request. */
export function limitBody(maxBytes: (c: Context) => number, what: string): MiddlewareHandler {
  return (c, next) => {
    const max = maxBytes(c);
    return bodyLimit({ maxSize: max, onError: (c) => jsonError(c, 413, `${what} is larger than ${max} bytes`) })(c, next);
  };
}
