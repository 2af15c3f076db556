import { describe, expect, it } from 'vitest';
import { openClient, type WsClient } from '../support/ws-client.ts';
import { http, online, uidQuery, wsClient } from './clients.ts';
import { seqOf, v1Client } from './stored-cases.ts';
import type { ConformanceTarget } from './target.ts';

/**
 * The limits of stored pushes, end to end, the same on both runtimes (README "Guarantees" and "Every limit").
 * Targets run with CONFORMANCE_SETTINGS: MAX_QUEUED_TOTAL=12, MAX_RETAINED_PER_UID=3, IDEMPOTENCY_SECONDS=3,
 * and the default MAX_TTL_SECONDS (86400). `processes`: how many processes keep their own MAX_QUEUED_TOTAL count
 * (the local server at count 2: README, "Guarantees"), each letting that many wait.
 */
export function storedLimitCases(target: () => ConformanceTarget, prefix: string, processes = 1): void {
  const uid = (name: string) => `${prefix}-limit-${name}`;
  const push = (body: string) => http(target(), 'POST', '/push', body);

  describe('limits of stored pushes', () => {
    it('refuses a ttl above MAX_TTL_SECONDS and an id over 128 bytes, and takes both at the limit', async () => {
      expect(await push(`{"uid":"${uid('ttl')}","ttl":86401}`)).toMatchObject({ status: 400, json: { error: 'ttl must be a whole number of seconds from 1 to 86400' } });
      expect((await push(`{"uid":"${uid('ttl')}","ttl":86400}`)).json).toEqual({ ok: true, delivered: 0, queued: true });
      expect(await push(`{"uid":"${uid('id')}","id":"${'i'.repeat(129)}"}`)).toMatchObject({ status: 400, json: { error: 'id must be a non-empty string of at most 128 bytes' } });
      expect((await push(`{"uid":"${uid('id')}","id":"${'é'.repeat(64)}"}`)).json).toEqual({ ok: false, delivered: 0 });
      expect(await push(`{"uid":"${uid('id')}","id":"${'é'.repeat(64)}x"}`)).toMatchObject({ status: 400 });
      // The queued one is delivered, so it does not count against MAX_QUEUED_TOTAL below.
      const c = await wsClient(target(), uid('ttl'));
      await expect.poll(() => c.messages).toEqual([`{"uid":"${uid('ttl')}","ttl":86400}`]);
      c.ws.close();
    });

    it('keeps MAX_RETAINED_PER_UID pushes for resume: a client resuming from before them gets a gap', async () => {
      const body = (n: number) => `{"uid":"${uid('gap')}","n":${n}}`;
      const first = await v1Client(target(), uid('gap'));
      expect((await push(body(1))).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => first.messages.length).toBe(1);
      const seen = seqOf(first.messages[0]!);
      first.ws.close();
      await expect.poll(() => online(target(), uid('gap'))).toBe(0);
      for (let n = 2; n <= 6; n++) expect((await push(body(n))).json).toEqual({ ok: false, delivered: 0 });
      // Five pushes while away, three kept: seqs seen+1 and seen+2 are gone, so the resume starts past a gap.
      const back = await v1Client(target(), uid('gap'), seen);
      await expect.poll(() => back.messages).toEqual([4, 5, 6].map((n) => `${seen + n - 1} ${body(n)}`));
      back.ws.close();
    });

    it('sends a broadcast to a pushport.v1 client as "0 <message>", unstored', async () => {
      const c = await v1Client(target(), uid('bc'));
      const plain = await wsClient(target(), uid('bc-plain'));
      expect((await http(target(), 'POST', '/broadcast', `to all ${prefix}`)).json.delivered).toBeGreaterThanOrEqual(2);
      await expect.poll(() => c.messages).toEqual([`0 to all ${prefix}`]);
      await expect.poll(() => plain.messages).toEqual([`to all ${prefix}`]);
      c.ws.close();
      plain.ws.close();
    });

    it('forgets an id after IDEMPOTENCY_SECONDS: the same push is then delivered again', async () => {
      const c = await wsClient(target(), uid('idem'));
      const line = `{"uid":"${uid('idem')}","id":"once"}`;
      expect((await push(line)).json).toEqual({ ok: true, delivered: 1 });
      expect((await push(line)).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => c.messages).toEqual([line]);
      // Retried until the window has passed (3 s): answered like the first each time, delivered once more at the end.
      await expect.poll(async () => {
        await push(line);
        return c.messages.length;
      }, { timeout: 15_000, interval: 500 }).toBe(2);
      expect(c.messages).toEqual([line, line]);
      c.ws.close();
    });

    it('refuses a ttl push past MAX_QUEUED_TOTAL, keeps what it took, and takes pushes again once they are delivered', async () => {
      const queued: string[] = [];
      let refusal: { status: number; json: any } | undefined;
      // Bounded: other cases may leave a push or two waiting, so the limit comes at or before the 12th (per process).
      for (let i = 0; i <= 12 * processes && refusal === undefined; i++) {
        const reply = await push(`{"uid":"${uid(`total-${i}`)}","ttl":60}`);
        if (reply.status === 200 && reply.json.queued === true) queued.push(uid(`total-${i}`));
        else refusal = reply;
      }
      expect(queued.length).toBeGreaterThan(0);
      expect(refusal).toMatchObject({ status: 429, json: { error: 'queue full: 12 pushes wait already (MAX_QUEUED_TOTAL)' } });
      // Each push it took reaches its uid; then there is room again.
      const clients: WsClient[] = [];
      for (const u of queued) clients.push(await openClient(`${target().wsUrl}/?${await uidQuery(target(), u)}`));
      for (const [i, c] of clients.entries()) await expect.poll(() => c.messages).toEqual([`{"uid":"${queued[i]}","ttl":60}`]);
      await expect.poll(async () => (await push(`{"uid":"${uid('total-after')}","ttl":60}`)).status, { timeout: 10_000 }).toBe(200);
      const after = await wsClient(target(), uid('total-after'));
      await expect.poll(() => after.messages.length).toBeGreaterThan(0);
      for (const c of [...clients, after]) c.ws.close();
    });
  });
}
