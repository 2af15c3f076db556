import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A file the fake server serves over HTTP, for a browser page to load. */
export interface ServedFile {
  type: string;
  body: string;
}

/** One client connection as the fake server saw it. */
export interface FakeConnection {
  socket: WebSocket;
  /** The query the client connected with (uid, token, since, …). */
  query: URLSearchParams;
  /** The subprotocols the client asked for ('' for none). */
  asked: string;
  /** The subprotocol the server agreed to ('' when refused). */
  protocol: string;
  /** Every text the client sent (its pings). */
  received: string[];
  /** Set when the socket closed, with the code it closed with. */
  closedWith?: number;
}

/**
 * A stand-in for a pushport server speaking the v1 socket protocol, bound to 127.0.0.1: it records each
 * connection and answers `ping` with `pong`; the test sends the pushes (`<seq> <message>`) itself.
 */
export class FakeV1Server {
  readonly connections: FakeConnection[] = [];
  /** Set false to act like a server that refuses (does not know) `pushport.v1`. */
  acceptV1 = true;
  /** Set false to act like a link that went silent. */
  answerPings = true;
  /** Called with each new connection, once it is recorded. */
  onConnection: (connection: FakeConnection) => void = () => {};

  private readonly server: WebSocketServer;
  private readonly http: Server;

  private constructor(server: WebSocketServer, http: Server) {
    this.server = server;
    this.http = http;
    server.on('connection', (socket, request) => {
      const connection: FakeConnection = {
        socket,
        query: new URL(request.url ?? '/', 'http://127.0.0.1').searchParams,
        asked: request.headers['sec-websocket-protocol'] ?? '',
        protocol: socket.protocol,
        received: [],
      };
      this.connections.push(connection);
      socket.on('message', (data) => {
        const text = String(data);
        connection.received.push(text);
        if (text === 'ping' && this.answerPings) socket.send('pong');
      });
      socket.on('close', (code) => {
        connection.closedWith = code;
      });
      this.onConnection(connection);
    });
  }

  /** Starts a server on a free port of 127.0.0.1; `files` are served over HTTP by path (for a browser page). */
  static async start(files: Record<string, ServedFile> = {}): Promise<FakeV1Server> {
    let fake: FakeV1Server | undefined;
    const http = createServer((request, response) => {
      const file = files[request.url ?? '/'];
      response.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' }).end(file?.body ?? 'not found');
    });
    const server = new WebSocketServer({
      server: http,
      handleProtocols: (protocols) => (fake!.acceptV1 && protocols.has('pushport.v1') ? 'pushport.v1' : false),
    });
    fake = new FakeV1Server(server, http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The ws:// URL clients connect to. */
  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/ws`;
  }

  /** The http:// URL of a served file. */
  page(path: string): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}${path}`;
  }

  /** The latest connection. */
  get last(): FakeConnection | undefined {
    return this.connections.at(-1);
  }

  /** Closes every connection and the server. */
  async stop(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
  }
}
