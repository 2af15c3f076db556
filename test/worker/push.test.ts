import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/poll.ts';
import { client, open, post } from './helpers.ts';

describe('pushing to a uid over the Worker', () => {
  it('delivers the exact body to the identified client', async () => {
    const c = await client('alice');
    const body = '{"uid":"alice", "percent":"88%", "text":"héllo ✓"}';
    const { status, json } = await post('/push', body);
    expect(status).toBe(200);
    expect(json).toEqual({ ok: true, delivered: 1 });
    expect(await c.nth(1)).toBe(body);
  });

  it('answers ok:false for a uid nobody holds', async () => {
    const { status, json } = await post('/push', '{"uid":"nobody-here"}');
    expect(status).toBe(200);
    expect(json).toEqual({ ok: false, delivered: 0 });
  });

  it('accepts an integer uid and reaches the string uid', async () => {
    const c = await client('123');
    expect((await post('/push', '{"uid":123,"n":1}')).json).toEqual({ ok: true, delivered: 1 });
    expect(await c.nth(1)).toBe('{"uid":123,"n":1}');
  });

  it('reaches every tab of a uid, and the rest after one closes', async () => {
    const a = await client('tabs');
    const b = await client('tabs', 1);
    expect((await post('/push', '{"uid":"tabs","n":1}')).json.delivered).toBe(2);
    expect(await a.nth(1)).toBe('{"uid":"tabs","n":1}');
    expect(await b.nth(1)).toBe('{"uid":"tabs","n":1}');
    a.ws.close(1000, 'bye');
    await waitFor(async () => (await post('/push', '{"uid":"tabs","n":2}')).json.delivered === 1, 'one tab left');
    expect(b.messages.at(-1)).toBe('{"uid":"tabs","n":2}');
  });

  it('identifies at connect time with ?uid=', async () => {
    const c = await open('/ws?uid=query-user');
    expect((await post('/push', '{"uid":"query-user"}')).json.delivered).toBe(1);
    expect(await c.nth(1)).toBe('{"uid":"query-user"}');
  });

  it('answers ping with pong and sends nothing else', async () => {
    const c = await client('pinger');
    c.ws.send('ping');
    expect(await c.nth(1)).toBe('pong');
    // A push after the pong is the barrier: whatever else the ping caused would have arrived before it.
    expect((await post('/push', '{"uid":"pinger","after":"pong"}')).json.delivered).toBe(1);
    expect(await c.nth(2)).toBe('{"uid":"pinger","after":"pong"}');
    expect(c.messages).toEqual(['pong', '{"uid":"pinger","after":"pong"}']);
  });

  it('closes a client whose first message is binary', async () => {
    const c = await open();
    c.ws.send(new Uint8Array([1, 2, 3]));
    expect((await c.closed).code).toBe(1003);
  });
});
