import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { missingTool } from '../support/missing-tool.ts';
import { waitFor } from '../support/poll.ts';
import { startWranglerDev, type WranglerDev } from '../node/wrangler-process.ts';
import { pushStream } from './push-stream.ts';
import { deliveryProblems, RecordingPage } from './recording-page.ts';
import { startRecordingPageServer, type RecordingPageServer } from './recording-page-server.ts';

const UID = 'e2e-edge';
/** How long the page may take to show every accepted push after a fault: reconnects back off, so generous. */
const DELIVERY_MS = 20_000;
const clean = { missing: [], duplicated: [], outOfOrder: [] };

// CI installs Debian's chromium (.ci/run); a developer machine without it skips these, CI never does.
const skipped = missingTool(hasChromium(), 'chromium', 'apt-get install chromium');

describe.skipIf(skipped !== undefined)(`pushport/client in Chromium against wrangler dev${skipped ? ` (${skipped})` : ''}`, () => {
  let browser: Browser;
  let pages: RecordingPageServer;
  let dev: WranglerDev;
  let tab: RecordingPage;
  let stream: ReturnType<typeof pushStream>;
  beforeAll(async () => {
    // Two shards: the uid's Durable Object is one of several, as in a deployment.
    [browser, pages, dev] = await Promise.all([launchChromium(), startRecordingPageServer(), startWranglerDev({ PUSH_TOKEN: 't', SHARDS: '2' })]);
    tab = await RecordingPage.open(browser, pages.pageUrl(dev.url.replace('http', 'ws'), UID));
    await waitFor(async () => (await tab.socket()).state === 'open', 'the page to connect', 15_000);
    stream = pushStream(dev.url, 't', UID);
  }, 120_000);
  afterAll(async () => {
    await stream?.stop();
    await tab?.close();
    await browser?.close();
    await pages?.stop();
    await dev?.stop();
  }, 30_000);

  /** Every push answered ok or queued so far reaches the page exactly once, in order of seq. */
  async function everyAcceptedPushArrivesOnce(): Promise<void> {
    await expect.poll(async () => deliveryProblems(stream.accepted(), await tab.received()), { timeout: DELIVERY_MS }).toEqual(clean);
    // Nothing arrives that was never pushed.
    expect((await tab.received()).filter(({ n }) => !(n < stream.pushes.length))).toEqual([]);
  }

  it('shows a steady stream of pushes once each', async () => {
    await stream.more(20);
    await everyAcceptedPushArrivesOnce();
    expect(stream.accepted().length).toBeGreaterThan(0);
  }, 60_000);

  it('gets the pushes sent while the tab was offline once it is back, through a real network drop', async () => {
    await tab.setOffline(true);
    const from = stream.pushes.length;
    // The client finds the dead link by its pings and starts reconnecting (which fails while offline).
    await waitFor(async () => (await tab.socket()).state !== 'open', 'the page to see the link is dead', 15_000);
    await stream.more(10);
    const to = stream.pushes.length;
    const offline = stream.accepted(from, to);
    expect(offline.length).toBeGreaterThan(0);
    expect((await tab.received()).filter(({ n }) => offline.includes(n))).toEqual([]);
    await tab.setOffline(false);
    await waitFor(async () => (await tab.socket()).opens >= 2, 'the page to reconnect', 15_000);
    await stream.more(10);
    await everyAcceptedPushArrivesOnce();
  }, 90_000);

  it('loses nothing through a restart of wrangler dev on the same port and state (a redeploy or an eviction)', async () => {
    const { opens } = await tab.socket();
    const shown = (await tab.received()).length;
    await dev.restart();
    await waitFor(async () => (await tab.socket()).opens > opens, 'the page to reconnect', 30_000);
    await stream.more(20);
    await everyAcceptedPushArrivesOnce();
    // The Durable Object started again from its SQLite: seqs carry on where they were (in order, checked above).
    expect((await tab.received()).length).toBeGreaterThan(shown);
  }, 150_000);
});
