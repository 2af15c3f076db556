import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from '../../../emulator/index.ts';
import { Hub, MemoryRegistry, createPushApp, defaultLimits } from '../../../src/index.ts';
import { MemoryRelay } from '../../src/relay/memory-relay.ts';
import { LineClient } from '../../support/line-client.ts';
import { stopServed, track } from '../helpers/in-process.ts';

afterEach(stopServed);

// The push API on a websocket:// worker in this process, as the push server mounts it, with a 100-byte limit.
function servePushApi(): number {
  const hub = new Hub(new MemoryRegistry(), defaultLimits);
  const target = new MemoryRelay([hub]).targets[0]!;
  const worker = new Worker('websocket://127.0.0.1:0');
  worker.onRequest = createPushApp({ settings: () => ({ token: 't', limits: { ...defaultLimits, maxMessageBytes: 100 } }), target: () => target }).fetch;
  worker.listen();
  track(worker);
  return worker.address()!.port;
}

const stats = 'GET /stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n';
const oversized = (bytes: number, auth = 'Authorization: Bearer t\r\n') =>
  `POST /push HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: ${bytes}\r\n\r\n${'x'.repeat(bytes)}`;

describe('a refused body on a keep-alive connection', () => {
  it('answers 413 and then the next request on the same connection', async () => {
    const client = await LineClient.open(servePushApi());
    client.socket.write(oversized(2 * 1024 * 1024));
    await client.waitForText('413 Payload Too Large');
    client.socket.write(stats);
    const text = await client.waitForText('"broadcasts":0}');
    expect(text).toMatch(/^HTTP\/1\.1 413 [^]*message is larger than 100 bytes[^]*HTTP\/1\.1 200 OK/);
    client.socket.destroy();
  });

  it('answers 401 for a body sent without a token, and then the next request', async () => {
    const client = await LineClient.open(servePushApi());
    client.socket.write(oversized(64 * 1024, ''));
    await client.waitForText('401 Unauthorized');
    client.socket.write(stats);
    expect(await client.waitForText('"broadcasts":0}')).toContain('HTTP/1.1 200 OK');
    client.socket.destroy();
  });

  it('serves the next request of a keep-alive agent (Node\'s default reuse)', async () => {
    const port = servePushApi();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: string) => new Promise<{ status: number; socket: unknown }>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { authorization: 'Bearer t' } }, (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, socket: req.socket }));
      });
      req.on('error', fail);
      req.end(body);
    });
    const refused = await send('POST', '/push', 'y'.repeat(1024 * 1024));
    const next = await send('GET', '/stats');
    expect([refused.status, next.status]).toEqual([413, 200]);
    agent.destroy();
  });

  it('says Connection: close when the refused body is too large to discard', async () => {
    const client = await LineClient.open(servePushApi());
    client.socket.write(`POST /push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 100000000\r\n\r\n{"uid":"a"}`);
    await client.closed;
    expect(client.text()).toMatch(/^HTTP\/1\.1 413 [^]*\r\nConnection: close\r\n/i);
  });
});
