import type { Context } from 'hono';
import { jsonReply } from '../json-reply.ts';
import { pageHeaders } from '../html-page.ts';
import { clientModule } from './client-module.ts';
import { homePage, type HomeSettings } from './home-page.ts';

// The page depends only on its settings, which stay the same for a server's life: render it once per settings.
let rendered: { key: string; html: string } | undefined;

/** GET / without an upgrade: the first page, or a 404 that says what this port is for when HOME_PAGE=off. */
export function homeReply(c: Context, settings: HomeSettings | undefined): Response {
  if (!settings?.enabled) {
    return jsonReply(c, { error: 'the home page is turned off (HOME_PAGE=off); WebSocket clients connect here and send their uid as the first message' }, 404);
  }
  const key = JSON.stringify(settings);
  if (rendered?.key !== key) rendered = { key, html: homePage(settings) };
  // The page imports pushport/client from this server, so its own origin may serve scripts.
  return c.html(rendered.html, 200, pageHeaders("'self' 'unsafe-inline'"));
}

/**
 * GET /pushport-client.js: pushport/client as one ES module, for a page without a bundler. Served whatever
 * HOME_PAGE says (it is the library, not the page), to any origin, since a module script is fetched with CORS.
 */
export function clientModuleReply(c: Context): Response {
  return c.body(clientModule, 200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Access-Control-Allow-Origin': '*',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'public, max-age=300',
  });
}
