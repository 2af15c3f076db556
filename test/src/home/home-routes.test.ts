import { describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, createPushApp, defaultLimits, type PushAppOptions } from '../../../src/index.ts';
import type { HomeSettings } from '../../../src/home/home-page.ts';
import { hubTarget } from '../hub-target.ts';

const local: HomeSettings = { enabled: true, signed: false, textPort: { host: '127.0.0.1', port: 5678, token: false } };

/** The push app as a runtime mounts it, with a connect that marks the answers it gives. */
function appWith(home: PushAppOptions['home']) {
  const target = hubTarget(new Hub(new MemoryRegistry(), defaultLimits));
  return createPushApp({
    settings: () => ({ token: 'a-real-publisher-token', limits: defaultLimits }),
    target: () => target,
    connect: async () => new Response('upgraded', { status: 200, headers: { 'x-connect': 'yes' } }),
    home,
  });
}

describe('the first page and the client module', () => {
  it('serve the page on a plain GET / without a token, with what it needs to know and no secret', async () => {
    const res = await appWith(() => local).request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<script type="application/json" id="where">{"signed":false,"textPort":{"host":"127.0.0.1","port":5678,"token":false}}</script>');
    expect(html).toContain("import { PushportSocket } from '/pushport-client.js'");
    expect(html).not.toContain('a-real-publisher-token');
    // Self-contained: nothing is loaded from another address.
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
  });

  it('keep the embedded settings from ending their script element', async () => {
    const html = await (await appWith(() => ({ ...local, textPort: { host: '</script><b>', port: 1, token: true } })).request('/')).text();
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('"host":"\\u003c/script>\\u003cb>"');
  });

  it('hand an upgrade on / to the runtime, page or no page', async () => {
    for (const home of [() => local, undefined]) {
      const res = await appWith(home).request('/', { headers: { Upgrade: 'websocket' } });
      expect(res.headers.get('x-connect')).toBe('yes');
    }
  });

  it('answer 404 with the reason when the page is off or the runtime has none, and serve the client module anyway', async () => {
    for (const home of [() => ({ ...local, enabled: false }), undefined]) {
      const app = appWith(home);
      const off = await app.request('/');
      expect(off.status).toBe(404);
      expect(((await off.json()) as { error: string }).error).toBe(
        'the home page is turned off (HOME_PAGE=off); WebSocket clients connect here and send their uid as the first message');
      const client = await app.request('/pushport-client.js');
      expect(client.status).toBe(200);
      expect(client.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await client.text()).toMatch(/export\s*\{[^}]*\bPushportSocket\b/);
    }
  });
});
