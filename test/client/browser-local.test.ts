import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { askMaster } from '../../emulator/cli/control-client.ts';
import { socketPath } from '../../emulator/run-paths.ts';
import { cleanup } from '../emulator/helpers/processes.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { missingTool } from '../support/missing-tool.ts';
import { waitFor } from '../support/poll.ts';
import { startPushServer, type PushServerProcess } from '../support/push-server-process.ts';
import { pushStream } from './push-stream.ts';
import { deliveryProblems, RecordingPage } from './recording-page.ts';
import { startRecordingPageServer, type RecordingPageServer } from './recording-page-server.ts';

const UID = 'e2e-local';
/** How long the page may take to show every accepted push after a fault: reconnects back off, so generous. */
const DELIVERY_MS = 20_000;
const clean = { missing: [], duplicated: [], outOfOrder: [] };

async function children(server: PushServerProcess): Promise<number[]> {
  const control = socketPath(join(server.runDir, `pushport-${server.port}.sock`));
  const reply = await askMaster<{ children?: number[] }>(control, { cmd: 'ping' }, 2000).catch(() => ({ children: [] }));
  return reply.children ?? [];
}

// CI installs Debian's chromium (.ci/run); a developer machine without it skips these, CI never does.
const skipped = missingTool(hasChromium(), 'chromium', 'apt-get install chromium');

describe.skipIf(skipped !== undefined)(`pushport/client in Chromium against the local server (count 2)${skipped ? ` (${skipped})` : ''}`, () => {
  let browser: Browser;
  let pages: RecordingPageServer;
  let server: PushServerProcess;
  let tab: RecordingPage;
  let stream: ReturnType<typeof pushStream>;
  beforeAll(async () => {
    [browser, pages, server] = await Promise.all([launchChromium(), startRecordingPageServer(), startPushServer(['--count', '2'], { PUSH_TOKEN: 't' })]);
    tab = await RecordingPage.open(browser, pages.pageUrl(server.wsUrl, UID));
    await waitFor(async () => (await tab.socket()).state === 'open', 'the page to connect', 15_000);
    stream = pushStream(server.httpUrl, 't', UID);
  }, 90_000);
  afterAll(async () => {
    await stream?.stop();
    await tab?.close();
    await browser?.close();
    await pages?.stop();
    await server?.stop();
    cleanup();
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

  it('loses nothing through a reload of the server', async () => {
    const { opens } = await tab.socket();
    const before = await children(server);
    expect((await server.command('reload')).code).toBe(0);
    await waitFor(async () => { const now = await children(server); return now.length === 2 && !now.some((pid) => before.includes(pid)); }, 'new children', 15_000);
    await waitFor(async () => (await tab.socket()).opens > opens, 'the page to reconnect', 15_000);
    await stream.more(20);
    await everyAcceptedPushArrivesOnce();
  }, 90_000);

  it('loses nothing through a SIGKILL of the child that holds the page', async () => {
    const { opens } = await tab.socket();
    // Which child holds the page's socket is the kernel's pick: kill each original child in turn, so one of them does.
    for (const victim of await children(server)) {
      process.kill(victim, 'SIGKILL');
      await waitFor(async () => { const now = await children(server); return now.length === 2 && !now.includes(victim); }, 'a new child', 15_000);
      await stream.more(10);
    }
    await waitFor(async () => (await tab.socket()).opens > opens, 'the page to reconnect', 15_000);
    await everyAcceptedPushArrivesOnce();
  }, 120_000);

  it('resumes from sessionStorage after a reload of the tab, showing the pushes sent meanwhile once', async () => {
    // The reloaded page waits for its script: pushes go out while the tab has no socket at all.
    const release = pages.holdBundle();
    const from = stream.pushes.length;
    await tab.page.reload({ waitUntil: 'commit' });
    await stream.more(10);
    const to = stream.pushes.length;
    release();
    await waitFor(async () => (await tab.socket()).opens >= 1, 'the reloaded page to connect', 15_000);
    expect(stream.accepted(from, to).length).toBeGreaterThan(0);
    await stream.more(10);
    await everyAcceptedPushArrivesOnce();
  }, 90_000);
});
