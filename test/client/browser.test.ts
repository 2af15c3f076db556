import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { missingTool } from '../support/missing-tool.ts';
import { waitFor } from '../support/poll.ts';
import { clientModule } from '../../src/home/client-module.ts';
import { FakeV1Server } from './fake-v1-server.ts';

/** The README's page snippet for pushport/client, read from the README itself, with the test server's address. */
const readmeSnippet = (url: string) => {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Zero-loss client: `pushport/client`'));
  const snippet = /```html\n([\s\S]*?)```/.exec(section)?.[1];
  if (!snippet?.includes("url: 'ws://127.0.0.1:1234'")) throw new Error('the README no longer has the pushport/client page snippet');
  return snippet.replace("url: 'ws://127.0.0.1:1234'", `url: '${url}'`);
};

/** Opens the page in a new tab; every alert() it shows is recorded and dismissed. */
async function openPage(browser: Browser, url: string): Promise<{ page: Page; alerts: string[] }> {
  const page = await browser.newPage();
  const alerts: string[] = [];
  page.on('dialog', (dialog) => {
    alerts.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  return { page, alerts };
}

// CI installs Debian's chromium (.ci/run); a developer machine without it skips these, CI never does.
const skipped = missingTool(hasChromium(), 'chromium', 'apt-get install chromium');

describe.skipIf(skipped !== undefined)(`pushport/client in a real browser${skipped ? ` (${skipped})` : ''}`, () => {
  let browser: Browser;
  let files: Parameters<typeof FakeV1Server.start>[0];
  beforeAll(async () => {
    browser = await launchChromium();
    // What the server serves at /pushport-client.js, which the README's snippet imports.
    files = { '/pushport-client.js': { type: 'text/javascript', body: clientModule } };
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function startServer(): Promise<FakeV1Server> {
    // The page names the server's address, known once it listens.
    const page = { type: 'text/html', body: '' };
    const server = await FakeV1Server.start({ ...files, '/': page });
    page.body = `<!doctype html>${readmeSnippet(server.url)}`;
    return server;
  }

  it('resumes across a page reload with since from sessionStorage, and across a dropped link', async () => {
    const server = await startServer();
    try {
      server.onConnection = (connection) => {
        const turn = server.connections.length;
        if (turn === 1) for (const frame of ['1 {"n":1}', '2 {"n":2}']) connection.socket.send(frame);
        // The server resends what it retains past since: the page shows each push once.
        if (turn === 2) for (const frame of ['2 {"n":2}', '3 {"n":3}']) connection.socket.send(frame);
        if (turn === 3) connection.socket.send('4 {"n":4}');
      };
      const { page, alerts } = await openPage(browser, server.page('/'));
      await expect.poll(() => alerts).toEqual(['{"n":1}', '{"n":2}']);
      await page.reload();
      await expect.poll(() => alerts).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
      server.connections[1]!.socket.terminate();
      await expect.poll(() => alerts).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']);
      expect(server.connections.map((c) => [c.query.get('uid'), c.query.get('since'), c.protocol])).toEqual([
        ['uid1', null, 'pushport.v1'],
        ['uid1', '2', 'pushport.v1'],
        ['uid1', '3', 'pushport.v1'],
      ]);
      await page.close();
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('falls back to plain messages on a server that does not echo pushport.v1, which the browser refuses', async () => {
    const server = await startServer();
    try {
      server.acceptV1 = false;
      server.onConnection = (connection) => {
        if (connection.asked === '') connection.socket.send('{"uid":"uid1","percent":"88%"}');
      };
      const { page, alerts } = await openPage(browser, server.page('/'));
      await expect.poll(() => alerts).toEqual(['{"uid":"uid1","percent":"88%"}']);
      expect(server.connections.map((c) => c.asked)).toEqual(['pushport.v1', '']);
      expect(await waitFor(() => page.evaluate(() => sessionStorage.getItem('pushport.lastSeq')), 'the stored seq')).toBe('0');
      await page.close();
    } finally {
      await server.stop();
    }
  }, 60_000);
});
