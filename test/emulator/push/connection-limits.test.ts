import { afterAll, describe, expect, it } from 'vitest';
import { cleanup } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';
import { upgrade, type Upgrade } from '../../support/ws-client.ts';

afterAll(cleanup);

const opened = (outcome: Upgrade) => {
  if (!('open' in outcome)) throw new Error(`refused with ${outcome.status}: ${outcome.body}`);
  return outcome.open.ws;
};
const connect = (url: string) => upgrade(url);

describe('connection limits of the local server', () => {
  it('closes a client that sends no uid within IDENTIFY_TIMEOUT_SECONDS with 1008; identified ones stay', async () => {
    const server = await startPushServer(['--identify-timeout-seconds', '2'], { PUSH_TOKEN: 't' });
    const silent = opened(await connect(server.wsUrl));
    const closed = new Promise<[number, string]>((resolve) => silent.once('close', (code, reason) => resolve([code, String(reason)])));
    const identified = opened(await connect(server.wsUrl));
    identified.send('stays');
    expect(await closed).toEqual([1008, 'identify timeout: send your uid as the first message within 2 s']);
    const inbox: string[] = [];
    identified.on('message', (m) => inbox.push(String(m)));
    const push = await fetch(`${server.httpUrl}/push`, { method: 'POST', body: '{"uid":"stays"}', headers: { authorization: 'Bearer t' } });
    expect(await push.json()).toEqual({ ok: true, delivered: 1 });
    await expect.poll(() => inbox).toEqual(['{"uid":"stays"}']);
    identified.close();
    await server.stop();
  }, 30_000);

  it('refuses an upgrade past MAX_CONNECTIONS with 503 and the reason, and accepts again once one leaves', async () => {
    const server = await startPushServer(['--max-connections', '2'], { PUSH_TOKEN: 't' });
    const first = opened(await connect(server.wsUrl));
    opened(await connect(server.wsUrl)).send('second');
    expect(await connect(server.wsUrl)).toMatchObject({
      status: 503,
      headers: { 'retry-after': '5' },
      body: '{"error":"server is full: it holds MAX_CONNECTIONS=2 WebSocket clients; try again later"}\n',
    });
    first.close();
    await expect.poll(async () => 'open' in (await connect(server.wsUrl).then((o) => ('open' in o && o.open.ws.close(), o)))).toBe(true);
    await server.stop();
  }, 30_000);
});

