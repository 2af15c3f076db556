import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import type WebSocket from 'ws';
import { openClient } from '../support/ws-client.ts';
import { cleanup, ROOT } from '../emulator/helpers/processes.ts';
import { startPushServer } from '../support/push-server-process.ts';
import { startWranglerDev } from './wrangler-process.ts';

const artifacts = join(ROOT, 'test-artifacts');

/** Opens `uids.length` clients; each with a uid sends it first, as the reference's snippet does. */
async function clients(wsUrl: string, uids: (string | undefined)[], query = (_uid: string | undefined) => ''): Promise<WebSocket[]> {
  return Promise.all(uids.map(async (uid) => {
    const { ws } = await openClient(`${wsUrl}/${query(uid)}`);
    if (uid !== undefined && query(uid) === '') ws.send(uid);
    return ws;
  }));
}

/** Opens the dashboard with the token in the fragment and records every script error it shows. */
async function openDashboard(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${url}/dashboard#token=t`);
  return { page, errors };
}

const figure = async (page: Page, name: string) => Number((await page.locator(`[data-metric="${name}"]`).textContent())?.replaceAll(',', ''));

async function push(url: string, uid: string): Promise<void> {
  const res = await fetch(`${url}/push`, { method: 'POST', body: JSON.stringify({ uid, from: 'test' }), headers: { authorization: 'Bearer t' } });
  expect(res.status).toBe(200);
}

// CI installs Debian's chromium (.ci/run); a developer machine without it skips these, CI never does.
describe.skipIf(!hasChromium() && !process.env.CI)('the dashboard in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    cleanup();
  });

  it('shows the local server with 2 processes live, and its actions work', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    const sockets = await clients(server.wsUrl, ['alice', 'bob', 'carol', undefined]);
    try {
      const { page, errors } = await openDashboard(browser, server.httpUrl);
      await expect.poll(() => figure(page, 'connections')).toBe(4);
      await expect.poll(() => figure(page, 'identified')).toBe(3);
      expect(await figure(page, 'uids')).toBe(3);
      // The token left the address bar once it was read.
      expect(page.url()).not.toContain('token');
      expect(await page.locator('#parts tbody tr').count()).toBe(2);

      const before = await figure(page, 'pushes');
      for (const uid of ['alice', 'bob', 'nobody']) await push(server.httpUrl, uid);
      await expect.poll(() => figure(page, 'pushes')).toBe(before + 3);
      await expect.poll(() => figure(page, 'failed')).toBe(1);
      await fetch(`${server.httpUrl}/push`, { method: 'POST', body: '{"uid":"away","ttl":60}', headers: { authorization: 'Bearer t' } });
      await expect.poll(() => figure(page, 'queued')).toBe(1);

      const received = new Promise<string>((resolve) => sockets[2]!.once('message', (m) => resolve(String(m))));
      await page.fill('#push-form [name=uid]', 'carol');
      await page.fill('#push-form [name=message]', 'hi carol');
      await page.click('#push-form button');
      await expect.poll(() => page.locator('#push-form output').textContent()).toBe('ok · delivered to 1 connection');
      expect(JSON.parse(await received)).toEqual({ uid: 'carol', message: 'hi carol' });

      await page.fill('#uid-form [name=uid]', 'bob');
      await page.click('#uid-form button[value=lookup]');
      await expect.poll(() => page.locator('#uid-form output').textContent()).toBe('bob: online, 1 connection');
      await page.click('#uid-form button[value=kick]');
      await expect.poll(() => page.locator('#uid-form output').textContent()).toBe('kicked bob: closed 1 connection');
      await expect.poll(() => figure(page, 'connections')).toBe(3);

      await page.screenshot({ path: join(artifacts, 'dashboard-local.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      for (const ws of sockets) ws.terminate();
      await server.stop();
    }
  }, 60_000);

  it('asks for the token when the address has none, and says when it is refused', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't' });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.httpUrl}/dashboard`);
      expect(await page.locator('#login').isVisible()).toBe(true);
      await page.fill('#token-input', 'wrong');
      await page.click('#login button');
      await expect.poll(() => page.locator('#login-why').textContent()).toMatch(/refused/);
      await page.fill('#token-input', 't');
      await page.click('#login button');
      await expect.poll(() => page.locator('[data-metric="connections"]').textContent()).toBe('0');
      expect(await page.evaluate(() => sessionStorage.getItem('pushport-token'))).toBe('t');
      await page.close();
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('shows wrangler dev with 2 shards live', async () => {
    const dev = await startWranglerDev({ PUSH_TOKEN: 't', SHARDS: '2' });
    const wsUrl = dev.url.replace('http', 'ws');
    const sockets = await clients(wsUrl, ['alice', 'bob', 'carol'], (uid) => `ws?uid=${uid}`);
    try {
      const { page, errors } = await openDashboard(browser, dev.url);
      await expect.poll(() => figure(page, 'connections'), { timeout: 10_000 }).toBe(3);
      expect(await figure(page, 'identified')).toBe(3);
      expect(await page.locator('#parts tbody tr').count()).toBe(2);
      expect(await page.locator('#parts-title').textContent()).toBe('Per shard');
      const before = await figure(page, 'pushes');
      for (const uid of ['alice', 'bob', 'carol', 'nobody']) await push(dev.url, uid);
      await expect.poll(() => figure(page, 'pushes')).toBe(before + 4);
      expect(await figure(page, 'delivered')).toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: join(artifacts, 'dashboard-wrangler-dev.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      for (const ws of sockets) ws.terminate();
      await dev.stop();
    }
  }, 90_000);
});
