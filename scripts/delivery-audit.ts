import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

/** One client connection of a uid: when it could first receive pushes, when it closed, which push ids it got. */
export interface TrackedConnection {
  ws: WebSocket;
  readyAt?: number;
  closedAt?: number;
  got: Set<number>;
}

/** One push line sent on the text port, and its reply once it came. */
export interface TrackedPush {
  id: number;
  uid: string;
  sentAt: number;
  reply?: string;
  repliedAt?: number;
}

/** One text-port connection: the pushes sent on it in order, and whether the server closed it. */
export interface TrackedLine {
  socket: Socket;
  sent: TrackedPush[];
  replies: number;
  closed: boolean;
}

const now = () => performance.now();

/**
 * Clients that keep one connection per uid (reconnecting when the server drops them) and a stream of pushes
 * through the text port, each push carrying a unique id, so a test can tell whether every `ok` was delivered.
 */
export class DeliveryAudit {
  readonly connections = new Map<string, TrackedConnection[]>();
  readonly pushes: TrackedPush[] = [];
  readonly lines: TrackedLine[] = [];
  private reconnecting = true;
  private nextId = 1;

  private readonly wsUrl: string;
  private readonly textPort: number;

  constructor(wsUrl: string, textPort: number) {
    this.wsUrl = wsUrl;
    this.textPort = textPort;
  }

  /** Connects uids u<from> … u<n-1>; each reconnects after a close until stop(). */
  connectClients(n: number, from = 0): void {
    for (let i = from; i < n; i++) this.connect(`u${i}`);
  }

  /** How many uids have a connection ready to receive now. */
  ready(): number {
    let n = 0;
    for (const list of this.connections.values()) {
      const last = list.at(-1);
      if (last?.readyAt !== undefined && last.closedAt === undefined) n++;
    }
    return n;
  }

  /** Opens a text-port connection that answers lines in order. */
  openLine(): TrackedLine {
    const socket = connect(this.textPort, '127.0.0.1');
    const line: TrackedLine = { socket, sent: [], replies: 0, closed: false };
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        const push = line.sent[line.replies++];
        if (push) Object.assign(push, { reply: buffer.slice(0, at), repliedAt: now() });
        buffer = buffer.slice(at + 1);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => (line.closed = true));
    this.lines.push(line);
    return line;
  }

  /** Sends one push to a random uid u0 … u<uids-1> on a text connection, with a ttl when given. */
  send(line: TrackedLine, uids: number, ttl?: number): void {
    const push: TrackedPush = { id: this.nextId++, uid: `u${Math.floor(Math.random() * uids)}`, sentAt: now() };
    line.sent.push(push);
    this.pushes.push(push);
    line.socket.write(`{"uid":"${push.uid}","id":${push.id}${ttl === undefined ? '' : `,"ttl":${ttl}`}}\n`);
  }

  /**
   * Pushes answered `ok` that a connection should have received and did not (yet): one that was ready before the
   * push was sent and had not closed when the `ok` came back, since the server wrote to it before answering.
   */
  undelivered(): TrackedPush[] {
    return this.pushes.filter((p) => p.reply === 'ok' && this.owner(p) !== undefined && !this.owner(p)!.got.has(p.id));
  }

  /** Lines on text connections that are still open and have no reply yet. */
  unanswered(): number {
    return this.lines.filter((l) => !l.closed).reduce((n, l) => n + l.sent.length - l.replies, 0);
  }

  /** Closes each ready connection with probability `p`, as a user leaving; it reconnects like any other. Returns how many. */
  churn(p: number): number {
    let closed = 0;
    for (const list of this.connections.values()) {
      const last = list.at(-1);
      if (last?.readyAt !== undefined && last.closedAt === undefined && Math.random() < p) {
        last.ws.close(1000, 'leaving');
        closed++;
      }
    }
    return closed;
  }

  /** Stops reconnecting and closes everything. */
  stop(): void {
    this.reconnecting = false;
    for (const list of this.connections.values()) for (const c of list) c.ws.terminate();
    for (const line of this.lines) line.socket.destroy();
  }

  private owner(p: TrackedPush): TrackedConnection | undefined {
    return this.connections.get(p.uid)?.find((c) =>
      c.readyAt !== undefined && c.readyAt < p.sentAt && (c.closedAt === undefined || c.closedAt > p.repliedAt!));
  }

  private connect(uid: string): void {
    const ws = new WebSocket(this.wsUrl);
    const connection: TrackedConnection = { ws, got: new Set() };
    const list = this.connections.get(uid) ?? [];
    list.push(connection);
    this.connections.set(uid, list);
    ws.on('open', () => {
      // The server handles a client's messages in order: once `pong` is back, the uid before it is known.
      ws.send(uid);
      ws.send('ping');
    });
    ws.on('message', (data) => {
      const text = String(data);
      if (text === 'pong') connection.readyAt ??= now();
      else connection.got.add((JSON.parse(text) as { id: number }).id);
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      connection.closedAt = now();
      // At once after a drop; slower while the server refuses, so a dead server is not hammered.
      const wait = connection.readyAt === undefined ? 200 : 20;
      if (this.reconnecting) setTimeout(() => this.reconnecting && this.connect(uid), wait);
    });
  }
}
