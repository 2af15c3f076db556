import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsConnection } from '../emulator/helpers/processes.ts';
import { waitFor } from '../support/poll.ts';
import { startWranglerDev, type WranglerDev } from './wrangler-process.ts';

// `wrangler dev` drains a request body the Worker left unread; a body declared but never sent, then a hang-up,
// used to take the whole dev server down. The Worker refuses such requests on their headers and cancels the body.
describe('wrangler dev and a body that never comes', () => {
  let dev: WranglerDev;
  beforeAll(async () => {
    dev = await startWranglerDev({ PUSH_TOKEN: 'body-token' });
  }, 90_000);
  afterAll(async () => dev?.stop());

  // Declares `length` bytes, sends a few, waits for the reply's status line (or `waitMs`), then hangs up; resolves
  // with the status line (and whether the server still held the connection then) once the server has closed its
  // end too, which is where a drain of the body that never comes used to take the whole dev server down.
  const sendAndHangUp = (auth: string, length = 100_000_000, waitMs = 5000) => new Promise<{ status: string; held: boolean }>((done) => {
    const port = Number(new URL(dev.url).port);
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const hangUp = () => {
      const clientPort = socket.localPort!;
      const held = holdsConnection(port, clientPort);
      socket.destroy();
      const status = reply.split('\r\n')[0] ?? '';
      done(waitFor(() => !holdsConnection(port, clientPort), 'the server to close its end', 15_000).then(() => ({ status, held })));
    };
    const timer = setTimeout(hangUp, waitMs);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) { clearTimeout(timer); hangUp(); }
    });
    socket.write(`POST /push HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Length: ${length}\r\n\r\n{"uid":"a"}`);
  });

  // After the server dealt with the hang-up: it still answers, on a new connection.
  const stillAnswers = () => fetch(`${dev.url}/stats`, { headers: { authorization: 'Bearer body-token' } }).then((r) => r.status, (e: Error) => e.message);

  it('without a token: answers 401 and keeps serving after the hang-up', async () => {
    expect(await sendAndHangUp('')).toMatchObject({ status: 'HTTP/1.1 401 Unauthorized' });
    expect(await stillAnswers()).toBe(200);
  }, 30_000);

  it('with a token: answers 413 on the declared length and keeps serving after the hang-up', async () => {
    expect(await sendAndHangUp('Authorization: Bearer body-token\r\n')).toMatchObject({ status: 'HTTP/1.1 413 Payload Too Large' });
    expect(await stillAnswers()).toBe(200);
  }, 30_000);

  it('with a token and an allowed length: the Worker waits for the body; the hang-up does not take the server down', async () => {
    expect(await sendAndHangUp('Authorization: Bearer body-token\r\n', 500, 1000)).toEqual({ status: '', held: true });
    expect(await stillAnswers()).toBe(200);
  }, 30_000);
});
