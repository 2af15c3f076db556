import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * A JSON reply that ends with a newline, as command-line tools print it: curl's output then does not run into
 * the prompt, and clients that parse JSON do not care.
 */
export function jsonReply(c: Context, body: unknown, status: ContentfulStatusCode = 200, headers?: Record<string, string>): Response {
  return jsonTextReply(c, JSON.stringify(body), status, headers);
}

/** The same reply for a body that is JSON text already. */
export function jsonTextReply(c: Context, json: string, status: ContentfulStatusCode = 200, headers?: Record<string, string>): Response {
  return c.body(`${json}\n`, status, { 'Content-Type': 'application/json', ...headers });
}
