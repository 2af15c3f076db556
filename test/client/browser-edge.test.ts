import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { missingTool } from '../support/missing-tool.ts';
import { waitFor } from '../support/poll.ts';
import { startWranglerDev, type WranglerDev } from '../node/wrangler-process.ts';
import { faultChecks, steadyAndDropCases, tabReloadCase } from './fault-checks.ts';
import { pushStream } from './push-stream.ts';
import { RecordingPage } from './recording-page.ts';
import { startRecordingPageServer, type RecordingPageServer } from './recording-page-server.ts';

// CI installs Debian's chromium (.ci/run); a developer machine without it skips these, CI never does.
const skipped = missingTool(hasChromium(), 'chromium', 'apt-get install chromium');

// One tab and one steady stream of pushes (each with a ttl) through every fault in turn, as a user's day goes.
describe.skipIf(skipped !== undefined)(`pushport/client in Chromium against wrangler dev${skipped ? ` (${skipped})` : ''}`, () => {
  let browser: Browser;
  let pages: RecordingPageServer;
  let dev: WranglerDev;
  let tab: RecordingPage;
  let stream: ReturnType<typeof pushStream>;
  let check: ReturnType<typeof faultChecks>;
  beforeAll(async () => {
    // Two shards: the uid's Durable Object is one of several, as in a deployment.
    [browser, pages, dev] = await Promise.all([launchChromium(), startRecordingPageServer(), startWranglerDev({ PUSH_TOKEN: 't', SHARDS: '2' })]);
    tab = await RecordingPage.open(browser, pages.pageUrl(dev.url.replace('http', 'ws'), 'e2e-edge'));
    await waitFor(async () => (await tab.socket()).state === 'open', 'the page to connect', 15_000);
    stream = pushStream(dev.url, 't', 'e2e-edge');
    check = faultChecks(tab, stream, pages);
  }, 120_000);
  afterAll(async () => {
    await stream?.stop();
    await tab?.close();
    await browser?.close();
    await pages?.stop();
    await dev?.stop();
  }, 30_000);

  steadyAndDropCases(() => stream, () => check);

  it('loses nothing through a restart of wrangler dev on the same port and state (a redeploy or an eviction)', async () => {
    const { opens } = await tab.socket();
    const shown = (await tab.received()).length;
    await dev.restart();
    await check.reconnected(opens);
    await stream.more(20);
    // The Durable Object started again from its SQLite: seqs carry on above the ones shown (in order, checked here).
    await check.everyAcceptedPushArrivesOnce();
    expect((await tab.received()).length).toBeGreaterThan(shown);
  }, 150_000);

  tabReloadCase(() => check);
});
