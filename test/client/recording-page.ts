import type { Browser, BrowserContext, Page } from 'playwright-core';

/** One push the page showed: its seq and the `n` it carried. */
export type Received = { seq: number; n: number };

type PageWindow = { opens?: number; state?: string };

/** A tab running the recording page (see recording-page-server.ts), in a context of its own so it can go offline alone. */
export class RecordingPage {
  readonly context: BrowserContext;
  readonly page: Page;

  private constructor(context: BrowserContext, page: Page) {
    this.context = context;
    this.page = page;
  }

  /** Opens the page in a new context and waits for its first connection. */
  static async open(browser: Browser, url: string): Promise<RecordingPage> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    return new RecordingPage(context, page);
  }

  /** Every push the tab showed, across reloads, in the order shown ([] while a reload has no document yet). */
  async received(): Promise<Received[]> {
    const got = await this.page.evaluate(() => sessionStorage.getItem('e2e.got')).catch(() => null);
    return (JSON.parse(got ?? '[]') as [number, number][]).map(([seq, n]) => ({ seq, n }));
  }

  /** How many times this document's socket opened (0 again after a reload), and where it is now. */
  async socket(): Promise<{ opens: number; state: string }> {
    const read = () => {
      const page = globalThis as PageWindow;
      return { opens: page.opens ?? 0, state: page.state ?? 'none' };
    };
    return this.page.evaluate(read).catch(() => ({ opens: 0, state: 'none' }));
  }

  /** Cuts or restores the tab's network, as a lost Wi-Fi does: the socket stays open but nothing passes. */
  setOffline(offline: boolean): Promise<void> {
    return this.context.setOffline(offline);
  }

  /** Closes the tab and its context. */
  close(): Promise<void> {
    return this.context.close();
  }
}

/** What breaks exactly-once delivery in order of seq; all empty when the page got every accepted push once. */
export function deliveryProblems(accepted: number[], got: Received[]): { missing: number[]; duplicated: number[]; outOfOrder: Received[] } {
  const seen = new Map<number, number>();
  for (const { n } of got) seen.set(n, (seen.get(n) ?? 0) + 1);
  return {
    missing: accepted.filter((n) => !seen.has(n)),
    duplicated: [...seen].filter(([, count]) => count > 1).map(([n]) => n),
    // Every push carries a ttl, so every one is stored: a seq is never 0 and always above the one before.
    outOfOrder: got.filter((g, i) => !(g.seq > 0) || (i > 0 && g.seq <= got[i - 1]!.seq)),
  };
}
