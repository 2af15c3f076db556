import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cleanup } from '../helpers/processes.ts';
import { waitFor } from '../../support/poll.ts';
import { startPushServer } from '../../support/push-server-process.ts';

afterAll(cleanup);

describe('a kick over HTTP', () => {
  it('reaches a real ws client as a close with its code and reason, and the server lets go of it', async () => {
    const server = await startPushServer(['--heartbeat-seconds', '0'], { PUSH_TOKEN: 't' });
    const auth = { authorization: 'Bearer t' };
    const online = async () => ((await (await fetch(`${server.httpUrl}/online/kicked`, { headers: auth })).json()) as { connections: number }).connections;
    const ws = new WebSocket(server.wsUrl);
    await new Promise((done) => ws.once('open', done));
    ws.send('kicked');
    await waitFor(async () => (await online()) === 1, 'the client to be identified');
    const closed = new Promise<[number, string]>((done) => ws.once('close', (code, reason) => done([code, reason.toString()])));
    const kick = await fetch(`${server.httpUrl}/online/kicked?reason=${encodeURIComponent('see you')}`, { method: 'DELETE', headers: auth });
    expect(await kick.json()).toEqual({ uid: 'kicked', closed: 1 });
    expect(await closed).toEqual([1000, 'see you']);
    await waitFor(async () => (await online()) === 0, 'the server to drop the connection');
    await server.stop();
  }, 60_000);
});
