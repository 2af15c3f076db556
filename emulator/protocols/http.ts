import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TcpConnection } from '../tcp-connection.ts';
import type { Worker } from '../worker.ts';
import type { Acceptor } from '../websocket/server.ts';

/** An HTTP request as onMessage receives it on an `http://` worker, body already read. */
export class HttpRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly uri: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;

  constructor(request: IncomingMessage, body: string) {
    this.method = request.method ?? 'GET';
    this.uri = request.url ?? '/';
    const url = new URL(this.uri, 'http://localhost');
    this.path = url.pathname;
    this.query = url.searchParams;
    this.headers = request.headers;
    this.body = body;
  }

  /** A header value (names are case-insensitive). */
  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/** A reply with a status and headers; `connection.send('text')` is the short form of a 200. */
export class HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;

  constructor(status = 200, headers: Record<string, string> = {}, body: string | Buffer = '') {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

/** `http://`: node:http parses requests on our socket; each send() answers the oldest unanswered request. */
export function createHttpAcceptor(worker: Worker): Acceptor {
  const connections = new WeakMap<Socket, { connection: TcpConnection; waiting: ServerResponse[] }>();
  // Loaded where a worker serves HTTP, not in a master that only supervises (see websocket.ts).
  const { createServer } = process.getBuiltinModule('node:http');
  const server = createServer((request, response) => {
    const entry = connections.get(request.socket as Socket);
    if (!entry) return void response.destroy();
    readBody(request, entry.connection.maxPackageSize, (body) => {
      if (body === null) {
        // Too big: answer and drop this connection only.
        response.writeHead(413, { Connection: 'close' }).end('Payload Too Large\n');
        return;
      }
      entry.waiting.push(response);
      entry.connection.deliver(new HttpRequest(request, body));
    });
  });
  server.on('clientError', (_error, socket: Socket) => socket.destroy());
  return (socket) => {
    const waiting: ServerResponse[] = [];
    const connection = new TcpConnection(worker, socket, () => ({
      // node:http writes the bytes itself: a reply is handed over whole, not encoded by us.
      encode: (data) => {
        respond(waiting.shift(), data);
        return null;
      },
      write: () => {},
      close: () => void socket.end(),
      pause: () => void socket.pause(),
      resume: () => void socket.resume(),
    }));
    connections.set(socket, { connection, waiting });
    server.emit('connection', socket);
  };
}

function respond(response: ServerResponse | undefined, data: unknown): void {
  // A send() without a request to answer has nowhere to go in HTTP.
  if (!response) return;
  const reply = data instanceof HttpResponse ? data : new HttpResponse(200, { 'Content-Type': 'text/html;charset=utf-8' }, Buffer.isBuffer(data) ? data : String(data));
  response.writeHead(reply.status, reply.headers);
  response.end(reply.body);
}

function readBody(request: IncomingMessage, limit: number, done: (body: string | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      request.removeAllListeners('data');
      request.pause();
      done(null);
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (size <= limit) done(Buffer.concat(chunks).toString('utf8'));
  });
}
