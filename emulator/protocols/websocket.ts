import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { log } from '../log.ts';
import { TcpConnection } from '../tcp-connection.ts';
import type { Worker } from '../worker.ts';

/** Takes an accepted socket and serves it. */
export type Acceptor = (socket: Socket) => void;

/** `websocket://`: node:http reads the handshake on our own socket, `ws` takes over; any path is accepted. */
export function createWebSocketAcceptor(worker: Worker): Acceptor {
  // noServer: ws never listens, so our listener, connection table and limits stay in charge.
  const wss = new WebSocketServer({ noServer: true, maxPayload: TcpConnection.defaultMaxPackageSize, perMessageDeflate: false });
  const handshakes = createServer((_request, response) => {
    response.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' });
    response.end('This is a WebSocket service: connect with a WebSocket client.\n');
  });
  handshakes.on('upgrade', (request, socket: Socket, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (ws) => attach(worker, socket, ws));
  });
  // A garbled handshake costs only that socket.
  handshakes.on('clientError', (_error, socket: Socket) => socket.destroy());
  return (socket) => handshakes.emit('connection', socket);
}

function attach(worker: Worker, socket: Socket, ws: WebSocket): void {
  const connection = new TcpConnection(worker, socket, null, {
    send: (data, done) => ws.send(Buffer.isBuffer(data) ? data : String(data), done),
    close: () => ws.close(1000),
    destroy: () => ws.terminate(),
    pause: () => ws.pause(),
    resume: () => ws.resume(),
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => connection.deliver(isBinary ? data : data.toString('utf8')));
  // ws closes the socket itself on a protocol error or an oversize message (1009); we only record why.
  ws.on('error', (error) => log(`websocket connection ${connection.id} closed: ${error.message}`));
}

