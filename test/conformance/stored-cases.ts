import { describe, expect, it } from 'vitest';
import { openClient, upgrade, type WsClient } from '../support/ws-client.ts';
import { http, online, textClient, uidQuery, wsClient } from './clients.ts';
import type { ConformanceTarget } from './target.ts';

/** A pushport.v1 client: identified by ?uid= (or a token), resuming after `since` when given; waits until it is online. */
export async function v1Client(t: ConformanceTarget, uid: string, since?: number): Promise<WsClient & { protocol: string }> {
  const query = `?${await uidQuery(t, uid)}${since === undefined ? '' : `&since=${since}`}`;
  const before = await online(t, uid);
  const client = await openClient(`${t.wsUrl}/${query}`, ['pushport.v1']);
  await expect.poll(() => online(t, uid), { timeout: 5000 }).toBeGreaterThan(before);
  return { ...client, protocol: client.ws.protocol };
}

/** The seq of a pushport.v1 frame `<seq> <message>`. */
export const seqOf = (frame: string) => Number(frame.slice(0, frame.indexOf(' ')));

/**
 * The stored-push cases (ttl queue, idempotent ids, pushport.v1 seqs and resume) every target must pass the
 * same way. Targets run with MAX_QUEUED_PER_UID=3.
 */
export function storedCases(target: () => ConformanceTarget, prefix: string, withTextPort: boolean): void {
  const uid = (name: string) => `${prefix}-stored-${name}`;
  const push = (body: string) => http(target(), 'POST', '/push', body);

  describe('stored pushes: ttl, id, pushport.v1', () => {
    it('queues a ttl push for an offline uid and delivers the queue byte-exact, in order, when it identifies', async () => {
      const lines = [1, 2, 3].map((n) => `{"uid":"${uid('q')}", "n":${n},"ttl":60}`);
      for (const line of lines) expect((await push(line)).json).toEqual({ ok: true, delivered: 0, queued: true });
      expect((await push(`{"uid":"${uid('q')}","n":4}`)).json).toEqual({ ok: false, delivered: 0 });
      const c = await wsClient(target(), uid('q'));
      await expect.poll(() => c.messages).toEqual(lines);
      // Delivered once: a second tab finds the queue empty, and a live push still works.
      const d = await wsClient(target(), uid('q'));
      expect((await push(`{"uid":"${uid('q')}","n":5}`)).json).toEqual({ ok: true, delivered: 2 });
      await expect.poll(() => d.messages).toEqual([`{"uid":"${uid('q')}","n":5}`]);
      c.ws.close();
      d.ws.close();
    });

    it('answers a push repeated with the same id like the first, and delivers it once', async () => {
      const line = `{"uid":"${uid('id')}","ttl":60,"id":"order-17"}`;
      expect((await push(line)).json).toEqual({ ok: true, delivered: 0, queued: true });
      expect((await push(line)).json).toEqual({ ok: true, delivered: 0, queued: true });
      const c = await wsClient(target(), uid('id'));
      await expect.poll(() => c.messages).toEqual([line]);
      const live = `{"uid":"${uid('id')}","id":"order-18"}`;
      expect((await push(live)).json).toEqual({ ok: true, delivered: 1 });
      expect((await push(live)).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => c.messages).toEqual([line, live]);
      c.ws.close();
    });

    it('refuses a bad ttl or id with the reason, and a push past MAX_QUEUED_PER_UID with 429', async () => {
      expect(await push(`{"uid":"${uid('bad')}","ttl":0}`)).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^ttl must be/) } });
      expect(await push(`{"uid":"${uid('bad')}","ttl":1.5}`)).toMatchObject({ status: 400 });
      expect(await push(`{"uid":"${uid('bad')}","id":""}`)).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^id must be/) } });
      // A numeric id is the backend's own data, as before: no idempotency, no error.
      expect(await push(`{"uid":"${uid('bad')}","id":7}`)).toMatchObject({ status: 200, json: { ok: false, delivered: 0 } });
      for (let n = 1; n <= 3; n++) expect((await push(`{"uid":"${uid('full')}","n":${n},"ttl":60}`)).json.queued).toBe(true);
      expect(await push(`{"uid":"${uid('full')}","n":4,"ttl":60}`)).toMatchObject({ status: 429, json: { error: expect.stringMatching(/^queue full/) } });
      const batch = await http(target(), 'POST', '/push/batch', `{"uid":"${uid('full')}","n":5,"ttl":60}\n{"uid":"${uid('batch')}","ttl":60}\n{"uid":"${uid('batch')}","ttl":-1}`);
      expect(batch.json.results).toEqual([
        { ok: false, error: expect.stringMatching(/^queue full/) },
        { ok: true, delivered: 0, queued: true },
        { ok: false, error: expect.stringMatching(/^ttl must be/) },
      ]);
      // What was refused was not kept: the uid gets the three it was promised.
      const c = await wsClient(target(), uid('full'));
      await expect.poll(() => c.messages.map((m) => JSON.parse(m).n)).toEqual([1, 2, 3]);
      c.ws.close();
    });

    it('numbers pushes to a pushport.v1 client, and resumes after since with what it missed, then live', async () => {
      const first = await v1Client(target(), uid('v1'));
      expect(first.protocol).toBe('pushport.v1');
      const plain = await wsClient(target(), uid('v1'));
      const body = (n: number) => `{"uid":"${uid('v1')}","n":${n}}`;
      for (const n of [1, 2]) expect((await push(body(n))).json).toEqual({ ok: true, delivered: 2 });
      await expect.poll(() => first.messages.length).toBe(2);
      const [a, b] = first.messages.map(seqOf);
      expect(b).toBe(a! + 1);
      expect(first.messages).toEqual([`${a} ${body(1)}`, `${b} ${body(2)}`]);
      // Other clients of the uid see exactly what they always did.
      await expect.poll(() => plain.messages).toEqual([body(1), body(2)]);
      plain.ws.close();
      first.ws.close();
      await first.closed;
      await expect.poll(() => online(target(), uid('v1'))).toBe(0);
      // Missed while away: answered fail (nobody online, no ttl) but kept for resume.
      for (const n of [3, 4]) expect((await push(body(n))).json).toEqual({ ok: false, delivered: 0 });
      const back = await v1Client(target(), uid('v1'), b);
      await expect.poll(() => back.messages).toEqual([`${b! + 1} ${body(3)}`, `${b! + 2} ${body(4)}`]);
      expect((await push(body(5))).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => back.messages.at(-1)).toBe(`${b! + 3} ${body(5)}`);
      back.ws.close();
    });

    it('refuses a since that is not a whole number', async () => {
      expect(await upgrade(`${target().wsUrl}/?${await uidQuery(target(), uid('since'))}&since=abc`, ['pushport.v1'])).toMatchObject({ status: 400 });
    });

    if (withTextPort) textStoredCases(target, uid);
  });
}

function textStoredCases(target: () => ConformanceTarget, uid: (name: string) => string): void {
  it('answers queued on the text port, and an error for a full queue', async () => {
    const text = await textClient(target());
    const line = (n: number) => `{"uid":"${uid('text')}","n":${n},"ttl":60}`;
    text.write(`${line(1)}\n${line(2)}\n${line(3)}\n${line(4)}\n{"uid":"${uid('text')}","ttl":"x"}\n`);
    expect(await text.read(5)).toEqual(['queued', 'queued', 'queued', expect.stringMatching(/^error queue full/), expect.stringMatching(/^error ttl must be/)]);
    text.close();
    const c = await wsClient(target(), uid('text'));
    await expect.poll(() => c.messages).toEqual([line(1), line(2), line(3)]);
    c.ws.close();
  });
}
