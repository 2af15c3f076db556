import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index.ts';
import { open, token } from './helpers.ts';

const call = (path: string, init: RequestInit = {}, bindings: object = env) => worker.request(path, init, bindings);

describe('the first page on the edge', () => {
  it('answers a plain GET / with the page, which needs no token and holds none', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
    const html = await res.text();
    expect(html).toContain("import { PushportSocket } from '/pushport-client.js'");
    expect(html).not.toContain(token);
    // No text port on the edge: the PHP line pushes over HTTP, and nothing says signed mode.
    expect(html).toContain('{"signed":false,"textPort":null}');
  });

  it('still upgrades a WebSocket on /, and says when signed mode is on', async () => {
    const client = await open('/?uid=home-upgrade');
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.close();
    expect(await (await call('/', {}, { ...env, CLIENT_SECRET: 's' })).text()).toContain('{"signed":true,');
  });

  it('answers 404 with HOME_PAGE=off, names a bad value, and serves the client module either way', async () => {
    const off = await call('/', {}, { ...env, HOME_PAGE: 'off' });
    expect(off.status).toBe(404);
    expect((await off.json<{ error: string }>()).error).toMatch(/^the home page is turned off \(HOME_PAGE=off\)/);
    const bad = await call('/', {}, { ...env, HOME_PAGE: 'maybe' });
    expect(bad.status).toBe(500);
    expect(await bad.json()).toEqual({ error: 'configuration error: HOME_PAGE must be on or off, got "maybe"' });
    const client = await call('/pushport-client.js', {}, { ...env, HOME_PAGE: 'off' });
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(client.headers.get('access-control-allow-origin')).toBe('*');
    const code = await client.text();
    // One module with no imports of its own, exporting the client.
    expect(code).not.toMatch(/\bimport\s*[{("'*]/);
    expect(code).toMatch(/export\s*\{[^}]*\bPushportSocket\b/);
  });
});
