import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWranglerDev, type WranglerDev } from './wrangler-process.ts';

// `wrangler dev` drains a request body the Worker left unread; a body declared but never sent, then a hang-up,
// used to take the whole dev server down. The Worker refuses such requests on their headers and cancels the body.
describe('wrangler dev and a body that never comes', () => {
  let dev: WranglerDev;
  beforeAll(async () => {
    dev = await startWranglerDev({ PUSH_TOKEN: 'body-token' });
  }, 90_000);
  afterAll(async () => dev?.stop());

  // Declares `length` bytes, sends a few, waits for the reply's status line (or `waitMs`), then hangs up.
  const sendAndHangUp = (auth: string, length = 100_000_000, waitMs = 5000) => new Promise<string>((done) => {
    const socket = connect(Number(new URL(dev.url).port), '127.0.0.1');
    let reply = '';
    const hangUp = () => { socket.destroy(); done(reply.split('\r\n')[0] ?? ''); };
    const timer = setTimeout(hangUp, waitMs);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) { clearTimeout(timer); hangUp(); }
    });
    socket.write(`POST /push HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Length: ${length}\r\n\r\n{"uid":"a"}`);
  });

  // The server died within about 2 s of the hang-up; a few requests spread over that time show it lives on.
  const stillAnswers = async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 400));
      statuses.push(await fetch(`${dev.url}/stats`, { headers: { authorization: 'Bearer body-token' } }).then((r) => r.status, () => 0));
    }
    return statuses;
  };

  it('without a token: answers 401 and keeps serving after the hang-up', async () => {
    expect(await sendAndHangUp('')).toBe('HTTP/1.1 401 Unauthorized');
    expect(await stillAnswers()).toEqual([200, 200, 200, 200, 200, 200]);
  }, 30_000);

  it('with a token: answers 413 on the declared length and keeps serving after the hang-up', async () => {
    expect(await sendAndHangUp('Authorization: Bearer body-token\r\n')).toBe('HTTP/1.1 413 Payload Too Large');
    expect(await stillAnswers()).toEqual([200, 200, 200, 200, 200, 200]);
  }, 30_000);

  it('with a token and an allowed length: the Worker waits for the body; the hang-up does not take the server down', async () => {
    expect(await sendAndHangUp('Authorization: Bearer body-token\r\n', 500, 1000)).toBe('');
    expect(await stillAnswers()).toEqual([200, 200, 200, 200, 200, 200]);
  }, 30_000);
});
