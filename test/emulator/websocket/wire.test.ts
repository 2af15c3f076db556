import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TcpConnection } from '../../../emulator/index.ts';
import { WebSocketTransport } from '../../../emulator/websocket/connection.ts';
import { encodeClose, Opcode } from '../../../emulator/websocket/frame-writer.ts';
import { LineClient } from '../../support/line-client.ts';
import { waitFor } from '../../support/poll.ts';
import { serve, served, stopServed } from '../helpers/in-process.ts';
import { clientFrame } from './client-frames.ts';

// The RFC 6455 layer over real sockets: what a slow, hostile or polite peer sees.

const clients: LineClient[] = [];
const savedCloseWait = WebSocketTransport.closeWaitMs;

afterEach(() => {
  for (const client of clients.splice(0)) client.socket.destroy();
  WebSocketTransport.closeWaitMs = savedCloseWait;
  stopServed();
});

/** A raw client past its handshake: what it writes is bytes on the wire, what it reads is every byte after the 101. */
async function rawWebSocket(port: number, path = '/'): Promise<{ client: LineClient; frames: () => Buffer }> {
  const client = await LineClient.open(port);
  clients.push(client);
  client.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  await client.waitForText('\r\n\r\n');
  expect(client.text()).toMatch(/^HTTP\/1.1 101 /);
  const frames = () => client.received().subarray(client.received().indexOf('\r\n\r\n') + 4);
  return { client, frames };
}

/** A worker that echoes, closes with 4001 on "close me", and records what it delivered. */
function echoServer(delivered: string[]): number {
  return serve('websocket', (worker) => {
    worker.onMessage = (connection: TcpConnection, data: string) => {
      delivered.push(data);
      if (data === 'close me') connection.closeWithCode(4001, 'asked to');
      else connection.send(`echo ${data}`);
    };
  });
}

describe('the WebSocket layer on a real socket', () => {
  it('answers a handshake of any version but 13 with 426 and says which it speaks', async () => {
    const port = echoServer([]);
    for (const version of ['8', '12', '']) {
      const client = await LineClient.open(port);
      clients.push(client);
      client.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${version ? `Sec-WebSocket-Version: ${version}\r\n` : ''}\r\n`);
      await client.waitForText('\r\n\r\n');
      expect(client.text()).toMatch(/^HTTP\/1.1 426 /);
      expect(client.text()).toMatch(/Sec-WebSocket-Version: 13/i);
    }
    const { client } = await rawWebSocket(port);
    expect(client.text()).toMatch(/^HTTP\/1.1 101 /);
  });

  it('delivers a frame whose first byte came alone, later', async () => {
    const delivered: string[] = [];
    const { client, frames } = await rawWebSocket(echoServer(delivered));
    const uid = clientFrame(Opcode.text, 'user-42');
    const connection = [...served()[0]!.connections.values()][0]!;
    const before = connection.bytesRead;
    client.write(uid.subarray(0, 1));
    await waitFor(() => connection.bytesRead === before + 1, 'the first byte to arrive alone');
    client.write(uid.subarray(1));
    await waitFor(() => frames().includes('echo user-42'), 'the echo');
    expect(delivered).toEqual(['user-42']);
  });

  it('closes with 1008 a message sent as 200,000 empty continuation frames', async () => {
    const delivered: string[] = [];
    const port = echoServer(delivered);
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise((done) => ws.once('open', done));
    const closed = new Promise<[number, string]>((done) => ws.once('close', (code, reason) => done([code, reason.toString()])));
    const empty = clientFrame(Opcode.continuation, '', { fin: false });
    ws.on('error', () => {});
    (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(
      Buffer.concat([clientFrame(Opcode.text, 'a', { fin: false }), ...Array.from({ length: 200_000 }, () => empty)]));
    expect(await closed).toEqual([1008, 'message in more than 16384 fragments']);
    expect(delivered).toEqual([]);
  });

  it('parses and delivers nothing after the peer\'s Close', async () => {
    const delivered: string[] = [];
    const { client } = await rawWebSocket(echoServer(delivered));
    client.write(Buffer.concat([clientFrame(Opcode.text, 'first'), clientFrame(Opcode.close, ''), clientFrame(Opcode.text, 'late')]));
    await client.closed;
    expect(delivered).toEqual(['first']);
  });

  it('delivers nothing to a connection once its closing began', async () => {
    const delivered: string[] = [];
    const { client } = await rawWebSocket(echoServer(delivered));
    const connection = [...served()[0]!.connections.values()][0]!;
    client.write(clientFrame(Opcode.text, 'close me'));
    await waitFor(() => connection.status === 'closing', 'the server to start closing');
    connection.deliver('late');
    expect(delivered).toEqual(['close me']);
  });

  it('answers the peer\'s Close with its code, then ends TCP', async () => {
    const { client, frames } = await rawWebSocket(echoServer([]));
    client.write(clientFrame(Opcode.close, encodeClose(4321, 'bye').subarray(2)));
    await client.closed;
    expect([...frames()]).toEqual([...encodeClose(4321, '')]);
  });

  it('sends its own Close and ends TCP only once the peer\'s Close is in (RFC 6455 §7.1.1)', async () => {
    WebSocketTransport.closeWaitMs = 60_000;
    const { client, frames } = await rawWebSocket(echoServer([]));
    let ended = false;
    client.socket.once('end', () => (ended = true));
    client.write(clientFrame(Opcode.text, 'close me'));
    const close = encodeClose(4001, 'asked to');
    await waitFor(() => frames().equals(close), 'the Close frame');
    // On the old code the FIN came right behind the Close; give it ample time to show.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ended).toBe(false);
    client.write(clientFrame(Opcode.close, close.subarray(2)));
    await waitFor(() => ended, 'the server to end TCP after the closing handshake');
  });

  it('cuts a peer that never answers its Close, after closeWaitMs', async () => {
    WebSocketTransport.closeWaitMs = 100;
    const { client, frames } = await rawWebSocket(echoServer([]));
    client.write(clientFrame(Opcode.text, 'close me'));
    await client.closed;
    expect(frames().equals(encodeClose(4001, 'asked to'))).toBe(true);
  });

  it('gives a real ws client a clean close with the code and reason', async () => {
    const port = echoServer([]);
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise((done) => ws.once('open', done));
    const closed = new Promise<[number, string]>((done) => ws.once('close', (code, reason) => done([code, reason.toString()])));
    ws.send('close me');
    expect(await closed).toEqual([4001, 'asked to']);
    await waitFor(() => served()[0]!.connections.size === 0, 'the server to drop the connection');
  });

  it('answers a handshake with a 100 KB query string 414, oversized headers 431 and garbage 400, each with a reason', async () => {
    const port = echoServer([]);
    const refusal = (url: string, headers: Record<string, string> = {}) => new Promise<[number, string]>((done, fail) => {
      const ws = new WebSocket(url, { headers });
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => done([response.statusCode ?? 0, body]));
      });
      ws.once('error', fail);
    });
    const [status, body] = await refusal(`ws://127.0.0.1:${port}/?q=${'a'.repeat(100_000)}`);
    expect([status, body]).toEqual([414, 'request line (URL) longer than 16384 bytes\n']);
    const big = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-filler-${i}`, 'b'.repeat(1000)]));
    expect(await refusal(`ws://127.0.0.1:${port}/`, big)).toEqual([431, 'request headers larger than 16384 bytes\n']);
    const garbage = await LineClient.open(port);
    clients.push(garbage);
    garbage.write('\x00\x01 not http\r\n\r\n');
    await garbage.closed;
    expect(garbage.text()).toMatch(/^HTTP\/1.1 400 [^]*\r\n\r\nmalformed HTTP request\n$/);
    // The server still serves.
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise((done) => ws.once('open', done));
    ws.close();
  });
});
