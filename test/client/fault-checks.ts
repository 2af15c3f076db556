import { expect, it } from 'vitest';
import { waitFor } from '../support/poll.ts';
import type { pushStream } from './push-stream.ts';
import { deliveryProblems, type RecordingPage } from './recording-page.ts';
import type { RecordingPageServer } from './recording-page-server.ts';

/** How long the page may take to show every accepted push after a fault: reconnects back off, so generous. */
const DELIVERY_MS = 20_000;
/** How long a page may take to see a dead link or to connect again (pings every second; a busy CI machine). */
const RECONNECT_MS = 15_000;
const clean = { missing: [], duplicated: [], outOfOrder: [] };

/** The checks and faults both runtimes' browser tests share: one tab, one stream of pushes to its uid. */
export function faultChecks(tab: RecordingPage, stream: ReturnType<typeof pushStream>, pages: RecordingPageServer) {
  const opens = async () => (await tab.socket()).opens;
  const reconnected = async (before: number) => {
    await waitFor(async () => (await opens()) > before, 'the page to reconnect', RECONNECT_MS);
  };
  return {
    /** Every push answered ok or queued so far reaches the page exactly once, in order of seq. */
    async everyAcceptedPushArrivesOnce(): Promise<void> {
      await expect.poll(async () => deliveryProblems(stream.accepted(), await tab.received()), { timeout: DELIVERY_MS }).toEqual(clean);
      // Nothing arrives that was never pushed.
      expect((await tab.received()).filter(({ n }) => !(n < stream.pushes.length))).toEqual([]);
    },

    /** Waits until the page's socket opened more often than `before` times (it reconnected). */
    reconnected,

    /** Cuts the tab's network until its client sees the dead link, pushes meanwhile, and restores it. */
    async dropTheLink(): Promise<void> {
      const before = await opens();
      await tab.setOffline(true);
      const from = stream.pushes.length;
      // The client finds the dead link by its pings and starts reconnecting (which fails while offline).
      await waitFor(async () => (await tab.socket()).state !== 'open', 'the page to see the link is dead', RECONNECT_MS);
      await stream.more(10);
      const offline = stream.accepted(from, stream.pushes.length);
      expect(offline.length).toBeGreaterThan(0);
      expect((await tab.received()).filter(({ n }) => offline.includes(n))).toEqual([]);
      await tab.setOffline(false);
      await reconnected(before);
      await stream.more(10);
    },

    /** Reloads the tab, pushing while the reloaded page has no socket yet (its script is held back). */
    async reloadTheTab(): Promise<void> {
      const release = pages.holdBundle();
      const from = stream.pushes.length;
      await tab.page.reload({ waitUntil: 'commit' });
      await stream.more(10);
      const meanwhile = stream.accepted(from, stream.pushes.length);
      release();
      // A new document counts its opens from 0.
      await reconnected(0);
      expect(meanwhile.length).toBeGreaterThan(0);
      await stream.more(10);
    },
  };
}

/** The cases both runtimes' browser tests run first, in order: a steady stream, then a real network drop. */
export function steadyAndDropCases(stream: () => ReturnType<typeof pushStream>, check: () => ReturnType<typeof faultChecks>): void {
  it('shows a steady stream of pushes once each', async () => {
    await stream().more(20);
    await check().everyAcceptedPushArrivesOnce();
    expect(stream().accepted().length).toBeGreaterThan(0);
  }, 60_000);

  it('gets the pushes sent while the tab was offline once it is back, through a real network drop', async () => {
    await check().dropTheLink();
    await check().everyAcceptedPushArrivesOnce();
  }, 90_000);
}

/** The case both runtimes' browser tests run last: a reload of the tab itself. */
export function tabReloadCase(check: () => ReturnType<typeof faultChecks>): void {
  it('resumes from sessionStorage after a reload of the tab, showing the pushes sent meanwhile once', async () => {
    await check().reloadTheTab();
    await check().everyAcceptedPushArrivesOnce();
  }, 90_000);
}
