import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { canRun } from './missing-tool.ts';

/** Debian's chromium, which .ci/run installs. */
const executablePath = '/usr/bin/chromium';

/** Whether this machine has the browser the browser tests drive. */
export function hasChromium(): boolean {
  return canRun(executablePath);
}

/** A headless chromium with nothing of its own on the network (no updates, no sync, no QUIC). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** One Chromium for the enclosing suite: launched before its tests, closed after them, then `after` (e.g. cleanup). */
export function chromiumForSuite(after?: () => void): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    after?.();
  });
  return () => browser!;
}
