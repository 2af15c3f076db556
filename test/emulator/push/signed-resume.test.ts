import { afterAll, describe, expect, it } from 'vitest';
import { openClient } from '../../support/ws-client.ts';
import { signClientToken } from '../../../src/index.ts';
import { cleanup } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';

afterAll(cleanup);

/** A pushport.v1 client in signed mode, resuming after `since` when given; resolves once it is open. */
async function v1Signed(wsUrl: string, token: string, since?: number) {
  return openClient(`${wsUrl}/?token=${token}${since === undefined ? '' : `&since=${since}`}`, ['pushport.v1']);
}

describe('resume in signed mode (count 2)', () => {
  it('resumes a client that connects with ?token=…&since= with what it missed, in order', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't', CLIENT_SECRET: 'sec' });
    const push = async (n: number) => (await (await fetch(`${server.httpUrl}/push`, {
      method: 'POST', body: `{"uid":"signed-v1","n":${n}}`, headers: { authorization: 'Bearer t' },
    })).json()) as { ok: boolean; delivered: number };
    const online = async () => ((await (await fetch(`${server.httpUrl}/online/signed-v1`, { headers: { authorization: 'Bearer t' } })).json()) as { connections: number }).connections;
    const token = await signClientToken('signed-v1', 'sec', 60);
    const first = await v1Signed(server.wsUrl, token);
    await expect.poll(online).toBe(1);
    expect((await push(1)).delivered).toBe(1);
    await expect.poll(() => first.messages).toEqual(['1 {"uid":"signed-v1","n":1}']);
    first.ws.close();
    await expect.poll(online).toBe(0);
    expect(await push(2)).toEqual({ ok: false, delivered: 0 });
    const back = await v1Signed(server.wsUrl, token, 1);
    await expect.poll(() => back.messages).toEqual(['2 {"uid":"signed-v1","n":2}']);
    back.ws.close();
    await server.stop();
  }, 30_000);
});
