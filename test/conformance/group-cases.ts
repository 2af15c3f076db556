import { describe, expect, it } from 'vitest';
import { http, online, textClient, wsClient } from './clients.ts';
import { seqOf, v1Client } from './stored-cases.ts';
import type { ConformanceTarget } from './target.ts';

/** Every member of a group, read page by page (`limit` per page), with the cursor each page gives. */
export async function allMembers(t: ConformanceTarget, group: string, limit: number, online = false): Promise<string[]> {
  const uids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const query = `limit=${limit}${online ? '&online=1' : ''}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const res = await http(t, 'GET', `/groups/${encodeURIComponent(group)}/members?${query}`);
    expect(res.status).toBe(200);
    expect(res.json.uids.length).toBeLessThanOrEqual(limit);
    uids.push(...res.json.uids);
    cursor = res.json.cursor;
    if (cursor === undefined) return uids;
  }
  throw new Error('members never gave a last page');
}

/**
 * The group cases every target must pass the same way: each route and reply, group pushes through /push, a
 * batch and (`withTextPort`) the text port, except, ttl, id and pushport.v1 per member, and the limits. Targets
 * run with MAX_GROUPS_PER_UID=3, MAX_GROUP_MEMBERS=5, MAX_QUEUED_PER_UID=3.
 */
export function groupCases(target: () => ConformanceTarget, prefix: string, withTextPort: boolean): void {
  const uid = (name: string) => `${prefix}-gu-${name}`;
  const group = (name: string) => `${prefix}-g-${name}`;
  const call = (method: string, path: string, body?: string) => http(target(), method, path, body);
  const join = (g: string, u: string) => call('PUT', `/groups/${encodeURIComponent(g)}/members/${encodeURIComponent(u)}`);
  const push = (body: string) => call('POST', '/push', body);

  describe('groups', () => {
    it('joins, lists, leaves and deletes, with the exact replies', async () => {
      const g = group('routes');
      expect((await join(g, uid('a'))).json).toEqual({ group: g, uid: uid('a'), joined: true });
      expect((await join(g, uid('a'))).json).toEqual({ group: g, uid: uid('a'), joined: false });
      const many = await call('POST', `/groups/${g}/members`, JSON.stringify({ uids: [uid('a'), uid('b'), uid('c'), uid('b')] }));
      expect(many).toMatchObject({ status: 200, json: { group: g, joined: 2 } });
      expect((await call('GET', `/groups?uid=${uid('b')}`)).json).toEqual({ uid: uid('b'), groups: [g] });
      expect((await call('GET', `/groups/${g}`)).json).toEqual({ group: g, members: 3, online: 0, connections: 0 });
      expect((await call('DELETE', `/groups/${g}/members/${uid('c')}`)).json).toEqual({ group: g, uid: uid('c'), left: true });
      expect((await call('DELETE', `/groups/${g}/members/${uid('c')}`)).json).toEqual({ group: g, uid: uid('c'), left: false });
      expect((await call('GET', `/groups?uid=${uid('c')}`)).json).toEqual({ uid: uid('c'), groups: [] });
      expect((await call('DELETE', `/groups/${g}`)).json).toEqual({ group: g, removed: 2 });
      expect((await call('GET', `/groups/${g}`)).json).toEqual({ group: g, members: 0, online: 0, connections: 0 });
      expect((await call('GET', `/groups?uid=${uid('a')}`)).json).toEqual({ uid: uid('a'), groups: [] });
      expect((await call('DELETE', `/groups/${g}`)).json).toEqual({ group: g, removed: 0 });
    });

    it('counts online members and their connections, and pages the members (all, or only the online ones)', async () => {
      const g = group('pages');
      const members = [1, 2, 3, 4, 5].map((n) => uid(`p${n}`));
      expect((await call('POST', `/groups/${g}/members`, JSON.stringify({ uids: members }))).json).toEqual({ group: g, joined: 5 });
      const tabs = [await wsClient(target(), members[0]!), await wsClient(target(), members[0]!), await wsClient(target(), members[3]!)];
      expect((await call('GET', `/groups/${g}`)).json).toEqual({ group: g, members: 5, online: 2, connections: 3 });
      expect((await allMembers(target(), g, 2)).sort()).toEqual([...members].sort());
      expect((await allMembers(target(), g, 1000)).sort()).toEqual([...members].sort());
      expect((await allMembers(target(), g, 1, true)).sort()).toEqual([members[0], members[3]].sort());
      for (const t of tabs) t.ws.close();
    });

    it('pushes to every connection of every member, once each, with the exact line; not to others, nor to except', async () => {
      const g = group('push');
      for (const u of ['a', 'b', 'off']) await join(g, uid(u));
      const a1 = await wsClient(target(), uid('a'));
      const a2 = await wsClient(target(), uid('a'));
      const b = await wsClient(target(), uid('b'));
      const outsider = await wsClient(target(), uid('outsider'));
      const body = `{"group":"${g}", "text":"héllo ✓"}`;
      expect((await push(body)).json).toEqual({ ok: true, delivered: 3 });
      const chat = `{"group":"${g}","except":"${uid('b')}","text":"from b"}`;
      expect((await push(chat)).json).toEqual({ ok: true, delivered: 2 });
      // A uid push that carries a group field is a uid push: only its uid gets it.
      const own = `{"uid":"${uid('outsider')}","group":"${g}"}`;
      expect((await push(own)).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => a1.messages).toEqual([body, chat]);
      await expect.poll(() => a2.messages).toEqual([body, chat]);
      await expect.poll(() => b.messages).toEqual([body]);
      await expect.poll(() => outsider.messages).toEqual([own]);
      expect((await push(`{"group":"${group('empty')}"}`)).json).toEqual({ ok: false, delivered: 0 });
      for (const c of [a1, a2, b, outsider]) c.ws.close();
    });

    it('keeps membership by uid: a member that connects later, or reconnects, gets the group\'s pushes', async () => {
      const g = group('later');
      await join(g, uid('later'));
      const first = await wsClient(target(), uid('later'));
      first.ws.close();
      await expect.poll(() => online(target(), uid('later'))).toBe(0);
      const again = await wsClient(target(), uid('later'));
      const body = `{"group":"${g}","n":1}`;
      expect((await push(body)).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => again.messages).toEqual([body]);
      again.ws.close();
    });

    it('takes group lines in a batch, answered in line order among uid lines', async () => {
      const g = group('batch');
      await join(g, uid('bm'));
      const c = await wsClient(target(), uid('bm'));
      const lines = [`{"uid":"${uid('bm')}","n":1}`, `{"group":"${g}","n":2}`, `{"group":""}`, `{"uid":"${uid('bm')}","n":3}`, `{"group":"${group('none')}"}`];
      const res = await call('POST', '/push/batch', lines.join('\n'));
      expect(res.json).toEqual({
        results: [{ ok: true, delivered: 1 }, { ok: true, delivered: 1 }, { ok: false, error: 'group is empty' }, { ok: true, delivered: 1 }, { ok: false, delivered: 0 }],
        delivered: 3,
      });
      await expect.poll(() => c.messages).toEqual([lines[0], lines[1], lines[3]]);
      c.ws.close();
    });

    it('queues a ttl group push for offline members, delivers an id once, and numbers it per uid for pushport.v1', async () => {
      const g = group('ttl');
      await join(g, uid('t-on'));
      await join(g, uid('t-off'));
      const on = await v1Client(target(), uid('t-on'));
      const warm = `{"uid":"${uid('t-on')}","ttl":60}`;
      expect((await push(warm)).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => on.messages.length).toBe(1);
      const body = `{"group":"${g}","ttl":60,"id":"g-1"}`;
      expect((await push(body)).json).toEqual({ ok: true, delivered: 1 });
      expect((await push(body)).json).toEqual({ ok: true, delivered: 1 });
      const [seq0] = on.messages.map(seqOf);
      await expect.poll(() => on.messages).toEqual([`${seq0} ${warm}`, `${seq0! + 1} ${body}`]);
      const off = await wsClient(target(), uid('t-off'));
      await expect.poll(() => off.messages).toEqual([body]);
      // Resumed from before the group push, a v1 client of the member gets it again with the same seq.
      const resumed = await v1Client(target(), uid('t-on'), seq0);
      await expect.poll(() => resumed.messages).toEqual([`${seq0! + 1} ${body}`]);
      const none = `{"group":"${g}","ttl":60}`;
      on.ws.close();
      off.ws.close();
      resumed.ws.close();
      await expect.poll(async () => (await call('GET', `/groups/${g}`)).json.online).toBe(0);
      expect((await push(none)).json).toEqual({ ok: true, delivered: 0, queued: true });
    });

    it('gives a plain group push to a pushport.v1 member with its own seq, in order with its uid pushes, to resume', async () => {
      const g = group('v1');
      await join(g, uid('v1'));
      await join(g, uid('v1-plain'));
      const v1 = await v1Client(target(), uid('v1'));
      const plain = await wsClient(target(), uid('v1-plain'));
      const body = `{"group":"${g}","n":1}`;
      expect((await push(body)).json).toEqual({ ok: true, delivered: 2 });
      await expect.poll(() => v1.messages.length).toBe(1);
      const seq = seqOf(v1.messages[0]!);
      expect(seq).toBeGreaterThan(0);
      expect(v1.messages).toEqual([`${seq} ${body}`]);
      const own = `{"uid":"${uid('v1')}","n":2}`;
      expect((await push(own)).json).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => v1.messages).toEqual([`${seq} ${body}`, `${seq + 1} ${own}`]);
      // A plain member gets the exact line, as before.
      await expect.poll(() => plain.messages).toEqual([body]);
      const resumed = await v1Client(target(), uid('v1'), seq - 1);
      await expect.poll(() => resumed.messages).toEqual([`${seq} ${body}`, `${seq + 1} ${own}`]);
      // Missed while away: kept for the member, which gets it on resume.
      v1.ws.close();
      resumed.ws.close();
      await expect.poll(() => online(target(), uid('v1'))).toBe(0);
      const away = `{"group":"${g}","n":3}`;
      expect((await push(away)).json).toEqual({ ok: true, delivered: 1 });
      const back = await v1Client(target(), uid('v1'), seq + 1);
      await expect.poll(() => back.messages).toEqual([`${seq + 2} ${away}`]);
      await expect.poll(() => plain.messages).toEqual([body, away]);
      plain.ws.close();
      back.ws.close();
    });

    it('refuses bad names and bodies with 400, a missing token with 401, and a join past a limit with 409', async () => {
      const g = group('limits');
      expect(await call('PUT', `/groups/${'g'.repeat(257)}/members/${uid('x')}`)).toMatchObject({ status: 400, json: { error: 'group is longer than 256 bytes' } });
      expect(await call('POST', `/groups/${g}/members`, 'nope')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^invalid JSON/) } });
      expect(await call('POST', `/groups/${g}/members`, '{"uids":[]}')).toMatchObject({ status: 400 });
      expect(await call('POST', `/groups/${g}/members`, '{"uids":["a",""]}')).toMatchObject({ status: 400, json: { error: 'uid 2 of uids: uid is empty' } });
      expect(await call('GET', '/groups')).toMatchObject({ status: 400 });
      expect(await call('GET', `/groups/${g}/members?online=maybe`)).toMatchObject({ status: 400 });
      expect((await http(target(), 'GET', `/groups/${g}`, undefined, 'wrong')).status).toBe(401);
      expect((await http(target(), 'POST', '/push', `{"group":"${g}"}`, 'wrong')).status).toBe(401);
      // MAX_GROUP_MEMBERS=5: a join that would pass it adds nobody.
      expect((await call('POST', `/groups/${g}/members`, JSON.stringify({ uids: [1, 2, 3, 4].map((n) => uid(`m${n}`)) }))).json.joined).toBe(4);
      const over = await call('POST', `/groups/${g}/members`, JSON.stringify({ uids: [uid('m5'), uid('m6')] }));
      expect(over).toMatchObject({ status: 409, json: { error: expect.stringContaining('MAX_GROUP_MEMBERS') } });
      expect((await call('GET', `/groups/${g}`)).json.members).toBe(4);
      expect((await join(g, uid('m5'))).json.joined).toBe(true);
      expect(await join(g, uid('m6'))).toMatchObject({ status: 409, json: { error: expect.stringContaining('MAX_GROUP_MEMBERS') } });
      // MAX_GROUPS_PER_UID=3: the uid's fourth group is refused; a group it is in already is not.
      for (const n of [1, 2, 3]) expect((await join(group(`many-${n}`), uid('many'))).status).toBe(200);
      expect(await join(group('many-4'), uid('many'))).toMatchObject({ status: 409, json: { error: expect.stringContaining('MAX_GROUPS_PER_UID') } });
      expect((await join(group('many-1'), uid('many'))).json.joined).toBe(false);
      expect((await call('GET', `/groups?uid=${uid('many')}`)).json.groups.sort()).toEqual([1, 2, 3].map((n) => group(`many-${n}`)).sort());
    });

    if (withTextPort) it('answers a group line on the text port ok, fail or queued, in order with uid lines', async () => {
      const g = group('text');
      await join(g, uid('tx'));
      const c = await wsClient(target(), uid('tx'));
      const text = await textClient(target());
      const line = `{"group":"${g}","n":1}`;
      text.write(`${line}\n{"group":"${group('text-none')}"}\n{"group":""}\n{"uid":"${uid('tx')}","group":"x"}\n`);
      expect(await text.read(4)).toEqual(['ok', 'fail', 'error group is empty', 'ok']);
      await expect.poll(() => c.messages).toEqual([line, `{"uid":"${uid('tx')}","group":"x"}`]);
      c.ws.close();
      await expect.poll(async () => (await call('GET', `/groups/${g}`)).json.online).toBe(0);
      text.write(`{"group":"${g}","ttl":60}\n`);
      expect(await text.read()).toEqual(['queued']);
      text.close();
    });
  });
}
