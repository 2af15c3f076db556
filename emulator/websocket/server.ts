import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { safeCall } from '../callbacks.ts';
import { HttpRequest, HttpResponse } from '../protocols/http.ts';
import { TcpConnection } from '../tcp-connection.ts';
import type { Worker } from '../worker.ts';
import { WebSocketTransport } from './connection.ts';
import { acceptResponse, checkHandshake } from './handshake.ts';
import { WebSocketHeartbeat } from './heartbeat.ts';
import { decideUpgrade, refuseUnparsed, refuseUpgrade, type UpgradeVerdict } from './upgrade.ts';

/** Takes an accepted socket and serves it. */
export type Acceptor = (socket: Socket) => void;

/**
 * `websocket://`: node:http reads the handshake on our own socket, then our frame reader and writer take over
 * the socket (any path is accepted). Plain HTTP requests go to `onRequest` when set (a pushport extension),
 * else get 400. Frames are ours rather than the `ws` library's because an open connection must cost little:
 * a `ws` WebSocket adds a stream-based receiver and a sender to each socket, more than the whole budget of a
 * pushport connection. The differential test holds this layer to `ws`'s behaviour.
 */
export function createWebSocketAcceptor(worker: Worker): Acceptor {
  const heartbeat = new WebSocketHeartbeat(worker);
  let listener: { handler: Worker['onRequest']; serve: Promise<(req: IncomingMessage, res: ServerResponse) => void> } | undefined;
  // node:http loads with the first acceptor, in the process that serves: a master that only supervises never
  // carries it (about 15 MB of memory).
  const { createServer } = process.getBuiltinModule('node:http');
  const handshakes = createServer((request, response) => {
    if (worker.onRequest) {
      // Built once per handler; the adapter turns node:http into Request/Response for a fetch-style app. It is
      // loaded with the first plain HTTP request, so a WebSocket-only server does not carry it.
      if (listener?.handler !== worker.onRequest) {
        const handler = worker.onRequest;
        listener = { handler, serve: import('@hono/node-server').then(({ getRequestListener }) => getRequestListener(handler)) };
      }
      void listener.serve.then((serve) => serve(request, response));
      return;
    }
    response.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' });
    response.end('This is a WebSocket service: connect with a WebSocket client.\n');
  });
  handshakes.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const bad = checkHandshake(request);
    if (bad) return refuseUpgrade(socket, new HttpResponse(bad.status, { 'Content-Type': 'text/plain', ...bad.headers }, `${bad.reason}\n`));
    void decideUpgrade(worker, request).then((verdict) => open(worker, request, socket, head, verdict, heartbeat));
  });
  // A garbled or oversized handshake costs only that socket, and its client learns why.
  handshakes.on('clientError', refuseUnparsed);
  return (socket) => handshakes.emit('connection', socket);
}

// A function of its own, not a closure in the upgrade handler: nothing the open connection keeps may hold on
// to the handshake's request (its headers would stay in memory for the connection's whole life).
function open(worker: Worker, request: IncomingMessage, socket: Socket, head: Buffer, verdict: UpgradeVerdict, heartbeat: WebSocketHeartbeat): void {
  if (socket.destroyed) return;
  if ('refuse' in verdict) return refuseUpgrade(socket, verdict.refuse);
  // The hook picks a subprotocol by setting `websocketProtocol`; it must be one the client offered.
  const chosen = verdict.accept.websocketProtocol;
  socket.write(acceptResponse(request, typeof chosen === 'string' ? chosen : undefined));
  const connection = new TcpConnection(worker, socket, WebSocketTransport.over(head));
  heartbeat.start();
  Object.assign(connection, verdict.accept);
  if (worker.onWebSocketConnect) safeCall('onWebSocketConnect', worker.onWebSocketConnect, connection, new HttpRequest(request, ''));
}
