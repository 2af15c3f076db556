import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../support/ws-client.ts';
import { startWranglerDev, type WranglerDev } from './wrangler-process.ts';

// End to end: the real `wrangler dev`, a real WebSocket client doing what the reference's browser snippet does,
// and real HTTP pushes.
describe('wrangler dev end to end', () => {
  let dev: WranglerDev;
  beforeAll(async () => {
    dev = await startWranglerDev({ PUSH_TOKEN: 'e2e-token' });
  }, 90_000);
  afterAll(async () => dev?.stop());

  const push = (path: string, body: string, token = 'e2e-token') =>
    fetch(`${dev.url}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${token}` } });

  it('delivers a curl-style push to a browser-style client and reports the outcome', async () => {
    const { ws, messages: received } = await openClient(dev.url.replace('http', 'ws'));
    ws.send('uid1');
    const body = '{"uid":"uid1","percent":"88%"}';
    const delivered = async () => ((await (await push('/push', body)).json()) as { delivered: number }).delivered;
    await expect.poll(delivered, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => received.length).toBeGreaterThan(0);
    expect(received.every((m) => m === body)).toBe(true);

    const miss = await push('/push', '{"uid":"nobody"}');
    expect(await miss.json()).toEqual({ ok: false, delivered: 0 });
    expect((await push('/push', '{"uid":"uid1"}', 'wrong')).status).toBe(401);

    ws.send('ping');
    await expect.poll(() => received.at(-1)).toBe('pong');
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.close(1000);
    expect(await closed).toBe(1000);
  });
});
