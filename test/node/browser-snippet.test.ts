import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumForSuite, hasChromium } from '../support/chromium.ts';
import { cleanup } from '../emulator/helpers/processes.ts';
import { startPushServer } from '../support/push-server-process.ts';
import { startWranglerDev } from './wrangler-process.ts';
import { LineClient } from '../support/line-client.ts';
import { missingTool } from '../support/missing-tool.ts';


/** The reference's browser snippet, word for word but for the address. */
const snippet = (url: string) => `<script>
var ws = new WebSocket('${url}');
ws.onopen = function(){
    var uid = 'uid1';
    ws.send(uid);
};
ws.onmessage = function(e){
    alert(e.data);
};
</script>`;

/** Opens the snippet in headless Chromium; every alert() it shows is recorded and dismissed. */
async function openSnippet(browser: Browser, url: string): Promise<string[]> {
  const page = await browser.newPage();
  const alerts: string[] = [];
  page.on('dialog', (dialog) => {
    alerts.push(dialog.message());
    void dialog.dismiss();
  });
  await page.setContent(snippet(url));
  return alerts;
}

async function onlineUid1(httpUrl: string, token: string): Promise<number> {
  const res = await fetch(`${httpUrl}/online/uid1`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { connections: number }).connections;
}

// CI installs Debian's chromium (.ci/run); a developer machine without it skips these, CI never does.
const skipped = missingTool(hasChromium(), 'chromium', 'apt-get install chromium');

describe.skipIf(skipped !== undefined)(`the reference browser snippet in a real browser${skipped ? ` (${skipped})` : ''}`, () => {
  const browser = chromiumForSuite(cleanup);

  it('alerts a push sent through the local server\'s text port', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't' });
    const alerts = await openSnippet(browser(), server.wsUrl);
    await expect.poll(() => onlineUid1(server.httpUrl, 't')).toBe(1);
    const text = await LineClient.open(server.textPort);
    text.write('{"uid":"uid1","percent":"88%"}\n');
    expect(await text.read()).toEqual(['ok']);
    await expect.poll(() => alerts).toEqual(['{"uid":"uid1","percent":"88%"}']);
    text.close();
    await server.stop();
  }, 60_000);

  it('alerts a push sent with curl-style HTTP to wrangler dev', async () => {
    const dev = await startWranglerDev({ PUSH_TOKEN: 't' });
    try {
      const alerts = await openSnippet(browser(), dev.url.replace('http', 'ws'));
      await expect.poll(() => onlineUid1(dev.url, 't')).toBe(1);
      const res = await fetch(`${dev.url}/push`, { method: 'POST', body: '{"uid":"uid1","percent":"88%"}', headers: { authorization: 'Bearer t' } });
      expect(await res.json()).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => alerts).toEqual(['{"uid":"uid1","percent":"88%"}']);
    } finally {
      await dev.stop();
    }
  }, 90_000);
});
