import { afterAll, describe, expect, it } from 'vitest';
import { PushportClient, PushportError } from '../../../src/index.ts';
import { openClient, type WsClient } from '../../support/ws-client.ts';
import { parseExposition } from '../../support/prometheus.ts';
import { cleanup } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';

afterAll(cleanup);

describe('groups through the SDK, with their figures (count 2)', () => {
  it('joins, counts, pages, pushes, leaves and deletes; /stats, /metrics and the dashboard show groups', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't', MAX_GROUP_MEMBERS: '3' });
    const sdk = new PushportClient({ url: server.httpUrl, token: 't' });
    const tabs: WsClient[] = [];
    try {
      expect(await sdk.joinGroup('team', 'a')).toBe(1);
      expect(await sdk.joinGroup('team', 'a')).toBe(0);
      expect(await sdk.joinGroup('team', ['b', 'c', 'a'])).toBe(2);
      const refused = await sdk.joinGroup('team', ['d']).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PushportError);
      expect(refused).toMatchObject({ status: 409, message: expect.stringContaining('MAX_GROUP_MEMBERS') });
      expect(await sdk.groupsOf('a')).toEqual(['team']);

      for (const uid of ['a', 'a', 'b']) {
        const tab = await openClient(server.wsUrl);
        tab.ws.send(uid);
        tabs.push(tab);
      }
      await expect.poll(() => sdk.group('team')).toEqual({ group: 'team', members: 3, online: 2, connections: 3 });
      const pages: string[][] = [];
      for await (const page of sdk.groupMembers('team', { limit: 2 })) pages.push(page);
      expect(pages).toEqual([['a', 'b'], ['c']]);
      const online: string[] = [];
      for await (const page of sdk.groupMembers('team', { online: true, limit: 1 })) online.push(...page);
      expect(online).toEqual(['a', 'b']);

      expect(await sdk.pushToGroup('team', { text: 'hi' }, { except: 'b' })).toBe(2);
      const body = '{"group":"team","text":"hi","except":"b"}';
      await expect.poll(() => tabs.map((t) => t.messages)).toEqual([[body], [body], []]);
      expect(await sdk.pushToGroup('team', '{"group":"team","n":2}')).toBe(3);

      const stats = async () => (await (await fetch(`${server.httpUrl}/stats`, { headers: { authorization: 'Bearer t' } })).json()) as { groups: unknown };
      await expect.poll(async () => (await stats()).groups).toEqual({ groups: 1, pushes: 2 });
      const metrics = async () => parseExposition(await (await fetch(`${server.httpUrl}/metrics`, { headers: { authorization: 'Bearer t' } })).text());
      await expect.poll(async () => {
        const m = await metrics();
        return [m.pushport_groups, m.pushport_group_pushes_total, m.pushport_delivered_total];
      }).toEqual([1, 2, 5]);
      const parts = (await (await fetch(`${server.httpUrl}/stats/parts`, { headers: { authorization: 'Bearer t' } })).json()) as { groups: unknown };
      expect(parts.groups).toEqual({ groups: 1, pushes: 2 });
      expect(await (await fetch(`${server.httpUrl}/dashboard`)).text()).toContain('data-metric="group-pushes"');

      expect(await sdk.leaveGroup('team', 'c')).toBe(true);
      expect(await sdk.leaveGroup('team', 'c')).toBe(false);
      expect(await sdk.removeGroup('team')).toBe(2);
      expect(await sdk.group('team')).toEqual({ group: 'team', members: 0, online: 0, connections: 0 });
      await expect.poll(async () => (await stats()).groups).toEqual({ groups: 0, pushes: 2 });
    } finally {
      for (const t of tabs) t.ws.close();
      await server.stop();
    }
  }, 40_000);
});
