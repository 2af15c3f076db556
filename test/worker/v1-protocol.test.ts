import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, open, post } from './helpers.ts';

const shard0 = () => env.PUSH_HUB.get(env.PUSH_HUB.idFromName('shard-0'));
const v1 = 'pushport.v1';

/** Pushes `{"uid":…,"n":…}` lines and returns them as sent. */
async function pushAll(uid: string, from: number, to: number): Promise<string[]> {
  const lines: string[] = [];
  for (let n = from; n <= to; n++) {
    const line = `{"uid":"${uid}","n":${n}}`;
    expect((await post('/push', line)).status).toBe(200);
    lines.push(line);
  }
  return lines;
}

// The shard's inner store, whose calls a test makes fail as a full or broken disk would.
type StoreOf = { mailbox: { mailbox: Record<string, unknown> } };

describe('pushport.v1 clients', () => {
  it('are closed with 1011 when the store cannot be read as they join, rather than held with their pushes answered ok', async () => {
    await runInDurableObject(shard0(), (hub) => {
      (hub as unknown as StoreOf).mailbox.mailbox.mark = () => { throw new Error('the disk is gone'); };
    });
    try {
      const c = await open('/ws', v1);
      c.ws.send('v1-broken-store');
      expect((await c.closed).code).toBe(1011);
      // Nobody holds it now: the push says so, instead of counting a socket that will never send it.
      expect((await post('/push', '{"uid":"v1-broken-store","n":1}')).json).toEqual({ ok: false, delivered: 0 });
    } finally {
      await runInDurableObject(shard0(), (hub) => void delete (hub as unknown as StoreOf).mailbox.mailbox.mark);
    }
  });

  it('get the protocol echoed and each push as `<seq> <message>`, seqs counting up from 1', async () => {
    const c = await open('/ws?uid=v1-basic', `chat, ${v1}`);
    expect(c.protocol).toBe(v1);
    const lines = await pushAll('v1-basic', 1, 3);
    expect(await c.nth(3)).toBe(`3 ${lines[2]}`);
    expect(c.messages).toEqual(lines.map((line, i) => `${i + 1} ${line}`));
  });

  it('leave clients that did not ask with exactly the raw message and no protocol', async () => {
    const plain = await open('/ws?uid=v1-mixed');
    const other = await open('/ws?uid=v1-mixed', 'chat');
    const seq = await open('/ws?uid=v1-mixed', v1);
    expect([plain.protocol, other.protocol, seq.protocol]).toEqual(['', '', v1]);
    const line = '{"uid":"v1-mixed", "text":"a b  c"}';
    expect((await post('/push', line)).json).toEqual({ ok: true, delivered: 3 });
    expect(await seq.nth(1)).toBe(`1 ${line}`);
    expect(await plain.nth(1)).toBe(line);
    expect(await other.nth(1)).toBe(line);
  });

  it('resume with ?since=: the retained pushes after it in order, then the live ones', async () => {
    const first = await open('/ws?uid=v1-resume', v1);
    const early = await pushAll('v1-resume', 1, 3);
    expect(await first.nth(3)).toBe(`3 ${early[2]}`);
    first.ws.close(1000);
    await first.closed;
    // Nobody online: no ttl, so each answers fail, but the marked uid's pushes are kept for resume.
    const missed = await pushAll('v1-resume', 4, 5);
    const back = await open('/ws?uid=v1-resume&since=3', v1);
    expect(await back.nth(2)).toBe(`5 ${missed[1]}`);
    const live = await pushAll('v1-resume', 6, 6);
    expect(await back.nth(3)).toBe(`6 ${live[0]}`);
    expect(back.messages).toEqual([`4 ${missed[0]}`, `5 ${missed[1]}`, `6 ${live[0]}`]);
  });

  it('resume when the uid comes as the first message, after ?since=, even across an eviction', async () => {
    const seen = await open('/ws?uid=v1-late-id', v1);
    const lines = await pushAll('v1-late-id', 1, 2);
    expect(await seen.nth(2)).toBe(`2 ${lines[1]}`);
    const back = await open('/ws?since=1', v1);
    // The resume point waits in the socket's attachment, not in memory.
    await evictDurableObject(shard0());
    back.ws.send('v1-late-id');
    expect(await back.nth(1)).toBe(`2 ${lines[1]}`);
  });

  it('refuse a since that is not a whole number, before any socket', async () => {
    const res = await api('/ws?uid=v1-bad&since=-1', { headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': v1 } });
    expect(res.status).toBe(400);
    expect(res.webSocket).toBeNull();
    expect((await res.json<{ error: string }>()).error).toMatch(/since must be a whole number/);
  });

  it('get queued ttl pushes with their seqs when they identify', async () => {
    expect((await post('/push', '{"uid":"v1-queued","ttl":60}')).json).toEqual({ ok: true, delivered: 0, queued: true });
    const c = await open('/ws?uid=v1-queued', v1);
    expect(await c.nth(1)).toBe('1 {"uid":"v1-queued","ttl":60}');
  });

  it('keep their protocol and seqs through an eviction', async () => {
    const c = await open('/ws?uid=v1-evict', v1);
    const plain = await open('/ws?uid=v1-evict');
    const before = await pushAll('v1-evict', 1, 2);
    expect(await c.nth(2)).toBe(`2 ${before[1]}`);
    await evictDurableObject(shard0());
    const after = await pushAll('v1-evict', 3, 3);
    expect(await c.nth(3)).toBe(`3 ${after[0]}`);
    expect(await plain.nth(3)).toBe(after[0]);
    // A client that reconnects after the eviction resumes from the store.
    const back = await open('/ws?uid=v1-evict&since=1', v1);
    expect(await back.nth(2)).toBe(`3 ${after[0]}`);
    expect(back.messages).toEqual([`2 ${before[1]}`, `3 ${after[0]}`]);
  });
});
