import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cleanup, ROOT } from '../emulator/helpers/processes.ts';
import { chromiumForSuite, hasChromium } from '../support/chromium.ts';
import { canRun, missingTool } from '../support/missing-tool.ts';
import { startPushServer } from '../support/push-server-process.ts';
import { startWranglerDev } from './wrangler-process.ts';

const run = promisify(execFile);
const artifacts = join(ROOT, 'test-artifacts');
const token = 'home-page-secret';
// A uid a shell or PHP would trip on if the page quoted it wrong.
const uid = `it's "home"`;

/** Opens the first page, connects as `uid` the way a person would, and records every script error it shows. */
async function connectOnPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.fill('#uid', uid);
  await page.click('#connect button');
  await expect.poll(() => page.locator('#state').textContent()).toBe(`connected as ${uid}`);
  return { page, errors };
}

const shown = (page: Page) => page.locator('#pushes li code').allTextContents();

/** Runs the page's curl line as a user would paste it, with the token in PUSH_TOKEN; answers curl's output. */
async function runCurlLine(page: Page): Promise<unknown> {
  const line = (await page.locator('#curl-line').textContent())!;
  expect(line).toContain('"Authorization: Bearer $PUSH_TOKEN"');
  const { stdout } = await run('sh', ['-c', `${line} --silent --show-error`], { env: { ...process.env, PUSH_TOKEN: token }, timeout: 20_000 });
  return JSON.parse(stdout);
}

/** Runs the page's PHP lines with the token in PUSH_TOKEN; answers what they print. */
async function runPhpLines(page: Page): Promise<string> {
  const code = (await page.locator('#php-line').textContent())!;
  const { stdout } = await run('php', ['-r', code], { env: { ...process.env, PUSH_TOKEN: token }, timeout: 20_000 });
  return stdout;
}

// CI installs Debian's chromium and php-cli (.ci/run); a developer machine without them skips these, CI never does.
const skipped = missingTool(hasChromium(), 'chromium', 'apt-get install chromium') ?? missingTool(canRun('php'), 'php', 'apt-get install php-cli');

describe.skipIf(skipped !== undefined)(`the first page in Chromium${skipped ? ` (${skipped})` : ''}`, () => {
  const browser = chromiumForSuite(cleanup);

  it('on the local server: connects with a typed uid and shows what its own curl and PHP lines push', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: token });
    try {
      const { page, errors } = await connectOnPage(browser(), `${server.httpUrl}/`);
      expect(await page.content()).not.toContain(token);
      expect(await page.locator('#php-line').textContent()).toContain(`'tcp://127.0.0.1:${server.textPort}'`);

      expect(await runCurlLine(page)).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => shown(page)).toEqual([JSON.stringify({ uid, text: 'hello from curl' })]);
      expect(await runPhpLines(page)).toBe('ok\n');
      await expect.poll(() => shown(page)).toEqual([JSON.stringify({ uid, text: 'hello from PHP' }), JSON.stringify({ uid, text: 'hello from curl' })]);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'home-local.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('on wrangler dev: the same page, with PHP over HTTP since the edge has no text port', async () => {
    const dev = await startWranglerDev({ PUSH_TOKEN: token });
    try {
      const { page, errors } = await connectOnPage(browser(), `${dev.url}/`);
      expect(await runCurlLine(page)).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => shown(page)).toEqual([JSON.stringify({ uid, text: 'hello from curl' })]);
      expect(JSON.parse(await runPhpLines(page))).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => shown(page)).toEqual([JSON.stringify({ uid, text: 'hello from PHP' }), JSON.stringify({ uid, text: 'hello from curl' })]);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await dev.stop();
    }
  }, 90_000);
});
