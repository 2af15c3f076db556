import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { cleanup } from '../emulator/helpers/processes.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { missingTool } from '../support/missing-tool.ts';
import { waitFor } from '../support/poll.ts';
import { startPushServer, type PushServerProcess } from '../support/push-server-process.ts';
import { faultChecks, steadyAndDropCases, tabReloadCase } from './fault-checks.ts';
import { pushStream } from './push-stream.ts';
import { RecordingPage } from './recording-page.ts';
import { startRecordingPageServer, type RecordingPageServer } from './recording-page-server.ts';


// CI installs Debian's chromium (.ci/run); a developer machine without it skips these, CI never does.
const skipped = missingTool(hasChromium(), 'chromium', 'apt-get install chromium');

// One tab and one steady stream of pushes (each with a ttl) through every fault in turn, as a user's day goes.
describe.skipIf(skipped !== undefined)(`pushport/client in Chromium against the local server (count 2)${skipped ? ` (${skipped})` : ''}`, () => {
  let browser: Browser;
  let pages: RecordingPageServer;
  let server: PushServerProcess;
  let tab: RecordingPage;
  let stream: ReturnType<typeof pushStream>;
  let check: ReturnType<typeof faultChecks>;
  beforeAll(async () => {
    [browser, pages, server] = await Promise.all([launchChromium(), startRecordingPageServer(), startPushServer(['--count', '2'], { PUSH_TOKEN: 't' })]);
    tab = await RecordingPage.open(browser, pages.pageUrl(server.wsUrl, 'e2e-local'));
    await waitFor(async () => (await tab.socket()).state === 'open', 'the page to connect', 15_000);
    stream = pushStream(server.httpUrl, 't', 'e2e-local');
    check = faultChecks(tab, stream, pages);
  }, 90_000);
  afterAll(async () => {
    await stream?.stop();
    await tab?.close();
    await browser?.close();
    await pages?.stop();
    await server?.stop();
    cleanup();
  }, 30_000);

  steadyAndDropCases(() => stream, () => check);

  it('loses nothing through a reload of the server', async () => {
    const { opens } = await tab.socket();
    const before = await server.children();
    expect((await server.command('reload')).code).toBe(0);
    await waitFor(async () => { const now = await server.children(); return now.length === 2 && !now.some((pid) => before.includes(pid)); }, 'new children', 15_000);
    await check.reconnected(opens);
    await stream.more(20);
    await check.everyAcceptedPushArrivesOnce();
  }, 90_000);

  it('loses nothing through a SIGKILL of the child that holds the page', async () => {
    const { opens } = await tab.socket();
    // Which child holds the page's socket is the kernel's pick: kill each original child in turn, so one of them does.
    for (const victim of await server.children()) {
      process.kill(victim, 'SIGKILL');
      await waitFor(async () => { const now = await server.children(); return now.length === 2 && !now.includes(victim); }, 'a new child', 15_000);
      await stream.more(10);
    }
    await check.reconnected(opens);
    await check.everyAcceptedPushArrivesOnce();
  }, 120_000);

  tabReloadCase(() => check);
});
