import { existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AnswerOf, HubRequest, Relay } from '../../src/index.ts';

/** How one process of the push server finds its peers and answers them. */
export interface SocketRelayOptions {
  /** This process's index among the server's processes. */
  self: number;
  count: number;
  /** The unix socket path of process `index`. */
  pathOf(index: number): string;
  /** Answers a peer's request from this process's own sockets. */
  answer(request: HubRequest): unknown;
  /** How long to wait for a peer before answering without it. */
  timeoutMs?: number;
}

type Pending = { resolve: (answer: unknown) => void; timer: NodeJS.Timeout };

/** Newline-delimited JSON over a socket: calls `onMessage` for each whole line. */
function readJsonLines(socket: Socket, onMessage: (message: any) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      try {
        onMessage(JSON.parse(line));
      } catch {
        socket.destroy();
        return;
      }
    }
  });
}

/**
 * The relay between the push server's processes: each one listens on its own unix socket, and asks every
 * peer directly. A peer that is down (respawning) or slow is left out of the answer rather than holding it up.
 */
export class SocketRelay implements Relay {
  private readonly options: SocketRelayOptions;
  private server: Server | undefined;
  private readonly accepted = new Set<Socket>();
  private boundInode: number | undefined;
  private readonly connections = new Map<number, { socket: Socket; pending: Map<number, Pending> }>();
  private nextId = 1;

  constructor(options: SocketRelayOptions) {
    this.options = options;
  }

  get peers(): number {
    return this.options.count - 1;
  }

  /** Starts answering peers on this process's socket. */
  async listen(): Promise<void> {
    const path = this.options.pathOf(this.options.self);
    // Bound under a name of our own, then renamed into place: a process being replaced (reload) unlinks the
    // name it bound when it closes, which must not take its successor's socket away. The rename also
    // replaces a file left by a killed process.
    const own = `${path}.${process.pid}`;
    if (existsSync(own)) unlinkSync(own);
    this.server = createServer((socket) => {
      this.accepted.add(socket);
      socket.on('close', () => this.accepted.delete(socket));
      socket.on('error', () => socket.destroy());
      readJsonLines(socket, ({ id, request }) => {
        let answer: unknown;
        try {
          answer = this.options.answer(request as HubRequest);
        } catch {
          answer = null;
        }
        socket.write(`${JSON.stringify({ id, answer })}\n`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(own, () => resolve());
    });
    renameSync(own, path);
    this.boundInode = statSync(path).ino;
  }

  async ask<R extends HubRequest>(request: R): Promise<AnswerOf<R>[]> {
    const others = Array.from({ length: this.options.count }, (_, i) => i).filter((i) => i !== this.options.self);
    const answers = await Promise.all(others.map((i) => this.askPeer(i, request)));
    return answers.filter((a): a is AnswerOf<R> => a !== undefined && a !== null);
  }

  /** Stops listening and drops every peer connection. */
  close(): void {
    this.server?.close();
    // Remove the socket file only while it is still ours, not a successor's.
    const path = this.options.pathOf(this.options.self);
    try {
      if (this.boundInode !== undefined && statSync(path).ino === this.boundInode) unlinkSync(path);
    } catch {
      // Already gone.
    }
    for (const socket of this.accepted) socket.destroy();
    for (const peer of this.connections.values()) peer.socket.destroy();
    this.connections.clear();
  }

  private askPeer(index: number, request: HubRequest): Promise<unknown> {
    const peer = this.connections.get(index) ?? this.connect(index);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        peer.pending.delete(id);
        resolve(undefined);
      }, this.options.timeoutMs ?? 2000);
      peer.pending.set(id, { resolve, timer });
      peer.socket.write(`${JSON.stringify({ id, request })}\n`);
    });
  }

  private connect(index: number) {
    const socket = createConnection(this.options.pathOf(index));
    const peer = { socket, pending: new Map<number, Pending>() };
    this.connections.set(index, peer);
    readJsonLines(socket, ({ id, answer }) => {
      const waiting = peer.pending.get(id);
      if (!waiting) return;
      peer.pending.delete(id);
      clearTimeout(waiting.timer);
      waiting.resolve(answer);
    });
    // A peer that is gone answers nothing; the next ask reconnects (it may have been respawned).
    const drop = () => {
      if (this.connections.get(index) === peer) this.connections.delete(index);
      for (const waiting of peer.pending.values()) {
        clearTimeout(waiting.timer);
        waiting.resolve(undefined);
      }
      peer.pending.clear();
    };
    socket.on('error', drop);
    socket.on('close', drop);
    return peer;
  }
}
