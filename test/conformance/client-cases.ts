import { describe, expect, it } from 'vitest';
import { http, online, wsClient } from './clients.ts';
import { openClient } from '../support/ws-client.ts';
import type { ConformanceTarget } from './target.ts';

/**
 * The README's rules for a client ("Clients", "Security and limits"), over a real socket on every target.
 * Targets run with MAX_MESSAGE_BYTES=4096, MAX_CONNECTIONS_PER_UID=3 and the default MAX_UID_BYTES (256); where
 * `tabsPerProcess`: each process of the target counts the tabs it holds (the local server at count 2), so the
 * tab limit is checked elsewhere.
 */
export function clientCases(target: () => ConformanceTarget, prefix: string, options: { tabsPerProcess?: boolean } = {}): void {
  const uid = (name: string) => `${prefix}-client-${name}`;

  describe('what a client may send', () => {
    it('closes a client whose first message is binary with 1003', async () => {
      const c = await openClient(target().wsUrl);
      c.ws.send(new Uint8Array([1, 2, 3]));
      expect(await c.closed).toEqual({ code: 1003, reason: 'the first message must be your uid, as text' });
    });

    it('closes an empty uid with 1008 and the reason', async () => {
      const c = await openClient(target().wsUrl);
      c.ws.send('');
      expect(await c.closed).toEqual({ code: 1008, reason: 'uid is empty' });
    });

    it('closes a uid over MAX_UID_BYTES with 1008 and the reason, and takes one at the limit', async () => {
      const long = await openClient(target().wsUrl);
      long.ws.send('é'.repeat(128) + 'x');
      expect(await long.closed).toEqual({ code: 1008, reason: 'uid is longer than 256 bytes' });
      const exact = `${uid('max')}-${'x'.repeat(256 - uid('max').length - 1)}`;
      expect(new TextEncoder().encode(exact).length).toBe(256);
      const c = await wsClient(target(), exact);
      expect(await online(target(), exact)).toBe(1);
      c.ws.close();
    });

    it('closes a message over MAX_MESSAGE_BYTES with 1009', async () => {
      const c = await wsClient(target(), uid('big'));
      c.ws.send('m'.repeat(4097));
      expect((await c.closed).code).toBe(1009);
      await expect.poll(() => online(target(), uid('big'))).toBe(0);
    });

    // At --count > 1 each process counts the tabs it holds (README, "Every limit"): the local server's own test
    // (test/emulator/push/connection-limits.test.ts) holds this rule at count 1.
    if (!options.tabsPerProcess) tabLimitCase(target, uid);
  });
}

function tabLimitCase(target: () => ConformanceTarget, uid: (name: string) => string): void {
  it('closes the oldest tab with 1008 past MAX_CONNECTIONS_PER_UID, and keeps the others', async () => {
    const tabs = [];
    for (let i = 0; i < 3; i++) tabs.push(await wsClient(target(), uid('tabs')));
    const newest = await openClient(target().wsUrl);
    newest.ws.send(uid('tabs'));
    expect(await tabs[0]!.closed).toEqual({ code: 1008, reason: 'too many connections for this uid; the oldest was closed' });
    await expect.poll(() => online(target(), uid('tabs'))).toBe(3);
    const push = `{"uid":"${uid('tabs')}"}`;
    expect((await http(target(), 'POST', '/push', push)).json).toEqual({ ok: true, delivered: 3 });
    for (const c of [...tabs.slice(1), newest]) await expect.poll(() => c.messages).toEqual([push]);
    expect(tabs[0]!.messages).toEqual([]);
    for (const c of [...tabs, newest]) c.ws.close();
  });
}
