import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HttpResponse, TcpConnection, Worker, type HttpRequest } from '../../emulator/index.ts';
import { serve, served, stopServed } from './helpers/in-process.ts';
import { captureLog } from '../support/capture-log.ts';
import { LineClient } from '../support/line-client.ts';

const sockets: WebSocket[] = [];

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
  stopServed();
});


function openWs(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  return new Promise((done, fail) => {
    ws.once('open', () => done(ws));
    ws.once('error', fail);
  });
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((done) => ws.once('message', (data: Buffer) => done(data.toString())));
}

describe('websocket://', () => {
  it('accepts any path, delivers text messages, and sends replies', async () => {
    const port = serve('websocket', (worker) => {
      worker.onMessage = (connection: TcpConnection, data: string) => connection.send(`echo ${data}`);
    });
    const ws = await openWs(`ws://127.0.0.1:${port}/any/path?x=1`);
    const reply = nextMessage(ws);
    ws.send('uid1');
    expect(await reply).toBe('echo uid1');
    expect(served()[0]?.connections.size).toBe(1);
  });

  it('counts frames held for the end of the turn against maxSendBufferSize, and delivers every accepted one in order', async () => {
    const accepted: boolean[] = [];
    const port = serve('websocket', (worker) => {
      worker.onConnect = (connection) => (connection.maxSendBufferSize = 64 * 1024);
      worker.onMessage = (connection: TcpConnection) => {
        // All in one turn: none of it has reached the socket yet, so only the held bytes can refuse it.
        for (let i = 0; i < 100; i++) accepted.push(connection.send(`${i} ${'x'.repeat(16 * 1024)}`));
      };
    });
    const ws = await openWs(`ws://127.0.0.1:${port}`);
    const got: string[] = [];
    ws.on('message', (data: Buffer) => got.push(data.toString().split(' ')[0]!));
    ws.send('go');
    await new Promise<void>((done) => {
      const check = setInterval(() => got.length >= 3 && (clearInterval(check), done()), 5);
    });
    // Three 16 KiB frames (with their headers) fit in 64 KiB; the fourth would not.
    expect(accepted.filter(Boolean)).toHaveLength(3);
    expect(accepted.slice(0, 3)).toEqual([true, true, true]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual(['0', '1', '2']);
  });

  it('closes a client whose message exceeds the package limit, and keeps serving others', async () => {
    const saved = TcpConnection.defaultMaxPackageSize;
    TcpConnection.defaultMaxPackageSize = 1024;
    try {
      const port = serve('websocket', (worker) => {
        worker.onMessage = (connection: TcpConnection, data: string) => connection.send(data);
      });
      const big = await openWs(`ws://127.0.0.1:${port}`);
      const good = await openWs(`ws://127.0.0.1:${port}`);
      const closed = new Promise<number>((done) => big.once('close', (code) => done(code)));
      const log = await captureLog(async () => {
        big.send('x'.repeat(2048));
        expect(await closed).toBe(1009);
      });
      expect(log).toMatch(/websocket connection \d+ closed: message larger than 1024 bytes\n/);
      const reply = nextMessage(good);
      good.send('small');
      expect(await reply).toBe('small');
    } finally {
      TcpConnection.defaultMaxPackageSize = saved;
    }
  });

  it('answers a plain HTTP request with 400 and survives garbage', async () => {
    const port = serve('websocket', () => {});
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(400);
    const garbage = await LineClient.open(port);
    garbage.socket.write('\x00\x01\x02 not http\r\n\r\n');
    await garbage.closed;
    const ws = await openWs(`ws://127.0.0.1:${port}`);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('http://', () => {
  it('delivers requests with their body and answers with send()', async () => {
    const port = serve('http', (worker) => {
      worker.onMessage = (connection: TcpConnection, request: HttpRequest) => {
        if (request.path === '/json') connection.send(new HttpResponse(201, { 'Content-Type': 'application/json' }, request.body));
        else connection.send(`hello ${request.method} ${request.query.get('a') ?? ''}\n`);
      };
    });
    const plain = await fetch(`http://127.0.0.1:${port}/x?a=1`);
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe('hello GET 1\n');
    const json = await fetch(`http://127.0.0.1:${port}/json`, { method: 'POST', body: '{"uid":"u"}' });
    expect(json.status).toBe(201);
    expect(await json.json()).toEqual({ uid: 'u' });
  });

  it('answers 413 to a body over maxPackageSize', async () => {
    const port = serve('http', (worker) => {
      worker.onConnect = (connection) => (connection.maxPackageSize = 10);
      worker.onMessage = (connection: TcpConnection) => connection.send('ok');
    });
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(100) });
    expect(response.status).toBe(413);
  });
});
