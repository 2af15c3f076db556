import { getRequestListener } from '@hono/node-server';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { safeCall } from '../callbacks.ts';
import { log } from '../log.ts';
import { TcpConnection } from '../tcp-connection.ts';
import type { Worker } from '../worker.ts';
import { HttpRequest } from './http.ts';
import { WebSocketHeartbeat } from './websocket-heartbeat.ts';
import { decideUpgrade, refuseUpgrade } from './websocket-upgrade.ts';

const webSockets = new WeakMap<TcpConnection, WebSocket>();

/**
 * The `ws` socket behind a websocket:// connection. Its readyState says what the connection's status cannot
 * yet: the client has started to close, so what is sent now is dropped.
 */
export function webSocketOf(connection: TcpConnection): WebSocket | undefined {
  return webSockets.get(connection);
}

/** Takes an accepted socket and serves it. */
export type Acceptor = (socket: Socket) => void;

/**
 * `websocket://`: node:http reads the handshake on our own socket, `ws` takes over; any path is accepted.
 * Plain HTTP requests go to `onRequest` when set (a pushport extension), else get 400.
 */
export function createWebSocketAcceptor(worker: Worker): Acceptor {
  // noServer: ws never listens, so our listener, connection table and limits stay in charge.
  const wss = new WebSocketServer({ noServer: true, maxPayload: TcpConnection.defaultMaxPackageSize, perMessageDeflate: false });
  const heartbeat = new WebSocketHeartbeat(() => worker.pingInterval);
  let listener: { handler: Worker['onRequest']; serve: (req: IncomingMessage, res: ServerResponse) => void } | undefined;
  const handshakes = createServer((request, response) => {
    if (worker.onRequest) {
      // Built once per handler; the adapter turns node:http into Request/Response for a fetch-style app.
      if (listener?.handler !== worker.onRequest) listener = { handler: worker.onRequest, serve: getRequestListener(worker.onRequest) };
      listener.serve(request, response);
      return;
    }
    response.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' });
    response.end('This is a WebSocket service: connect with a WebSocket client.\n');
  });
  handshakes.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    void decideUpgrade(worker, request).then((verdict) => {
      if (socket.destroyed) return;
      if ('refuse' in verdict) return refuseUpgrade(socket, verdict.refuse);
      wss.handleUpgrade(request, socket, head, (ws) => {
        const connection = attach(worker, socket, ws);
        Object.assign(connection, verdict.accept);
        heartbeat.watch(ws);
        safeCall('onWebSocketConnect', worker.onWebSocketConnect, connection, new HttpRequest(request, ''));
      });
    });
  });
  // A garbled handshake costs only that socket.
  handshakes.on('clientError', (_error, socket: Socket) => socket.destroy());
  return (socket) => handshakes.emit('connection', socket);
}

function attach(worker: Worker, socket: Socket, ws: WebSocket): TcpConnection {
  const connection = new TcpConnection(worker, socket, null, {
    send: (data, done) => ws.send(Buffer.isBuffer(data) ? data : String(data), done),
    close: (code = 1000, reason) => ws.close(code, reason),
    destroy: () => ws.terminate(),
    pause: () => ws.pause(),
    resume: () => ws.resume(),
  });
  webSockets.set(connection, ws);
  ws.on('message', (data: Buffer, isBinary: boolean) => connection.deliver(isBinary ? data : data.toString('utf8')));
  // ws closes the socket itself on a protocol error or an oversize message (1009); we only record why.
  ws.on('error', (error) => log(`websocket connection ${connection.id} closed: ${error.message}`));
  return connection;
}
