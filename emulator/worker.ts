import { Server, type AddressInfo, type Socket } from 'node:net';
import { createAcceptor } from './acceptor.ts';
import { describeError, log } from './log.ts';
import { bindHandle, startListening, type ListenHandle } from './listen-handle.ts';
import { runAll, stopAll } from './process/run-all.ts';
import type { HttpRequest, HttpResponse } from './protocols/http.ts';
import type { Protocol } from './protocols/types.ts';
import { settings } from './settings.ts';
import { parseSocketName } from './socket-name.ts';
import type { TcpConnection } from './tcp-connection.ts';
import { allWorkers, listeningWorkers } from './worker-list.ts';

/** The hooks you assign on a Worker (method syntax, so a handler may type `data` as the string its protocol gives). */
export interface WorkerCallbacks {
  onWorkerStart?(worker: Worker): void;
  /** May return a promise (a pushport extension): a stop waits for it before closing what is left, within its timeout. */
  onWorkerStop?(worker: Worker): void | Promise<void>;
  onWorkerReload?(worker: Worker): void;
  onConnect?(connection: TcpConnection): void;
  onMessage?(connection: TcpConnection, data: unknown): void;
  onClose?(connection: TcpConnection): void;
  onError?(connection: TcpConnection, code: number, message: string): void;
  onBufferFull?(connection: TcpConnection): void;
  /**
   * A pushport extension: the protocol rejected a connection's input (e.g. a text line over maxPackageSize).
   * Without it the connection is destroyed, as in Workerman; with it, this answers and closes the connection.
   */
  onBadPacket?(connection: TcpConnection, reason: string): void;
  onBufferDrain?(connection: TcpConnection): void;
  /** `websocket://`: after the handshake, with the request (Workerman's onWebSocketConnect). */
  onWebSocketConnect?(connection: TcpConnection, request: HttpRequest): void;
  /**
   * `websocket://`, a pushport extension: decides a handshake before it completes. Return an HttpResponse to
   * refuse it (no socket is opened); an object's fields are set on the new connection. A `websocketProtocol`
   * field, one of the subprotocols the client offered, is sent back as the one chosen.
   */
  onWebSocketUpgrade?(request: HttpRequest): HttpResponse | Record<string, unknown> | void | Promise<HttpResponse | Record<string, unknown> | void>;
  /** `websocket://`, a pushport extension: a fetch-style handler for plain HTTP requests on the same port. */
  onRequest?(request: Request): Response | Promise<Response>;
}

// Declaration merging puts the optional hooks on the class without emitting anything.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Worker extends WorkerCallbacks {}

/** Workerman's Worker: a listen address, a protocol, callbacks, and how many processes serve it under `runAll()`. */
export class Worker {
  /** Run detached (also set by `start -d`). */
  static get daemonize(): boolean { return settings.daemonize; }
  static set daemonize(value: boolean) { settings.daemonize = value; }
  /** Master pid file path (default: `.pushport/<script>.pid` beside the script). */
  static get pidFile(): string { return settings.pidFile; }
  static set pidFile(value: string) { settings.pidFile = value; }
  /** Log file path (default: beside the pid file). */
  static get logFile(): string { return settings.logFile; }
  static set logFile(value: string) { settings.logFile = value; }
  /** Daemon stdout/stderr file (default: beside the pid file). */
  static get stdoutFile(): string { return settings.stdoutFile; }
  static set stdoutFile(value: string) { settings.stdoutFile = value; }
  /** Seconds a stop waits for a process before killing it. */
  static get stopTimeout(): number { return settings.stopTimeout; }
  static set stopTimeout(value: number) { settings.stopTimeout = value; }

  /** Index of this process among the worker's `count` processes (0 outside runAll). */
  id = 0;
  /** Shown by `status`. */
  name = 'none';
  /** Processes runAll() starts for this worker. */
  count = 1;
  /** Bind with SO_REUSEPORT: every process gets its own socket on the same port and the kernel spreads clients. */
  reusePort = false;
  /** `websocket://`, a pushport extension: seconds between ping frames; a client that misses one is cut off (0 = off). */
  pingInterval = 0;
  /** Only TCP is implemented. */
  transport: 'tcp' = 'tcp';
  /** Protocol name from the scheme (`text`, `frame`, `websocket`, `http`, a registered one) or a protocol object; null = raw. */
  protocol: string | Protocol | null;
  /** A pushport extension: the uid a connection identified with, shown by `connections` (else its `uid` property). */
  uidOf?: (connection: TcpConnection) => string | undefined;
  /** Open connections of this worker in this process, by connection id. */
  readonly connections = new Map<number, TcpConnection>();

  readonly #socketName: string;
  #server: Server | null = null;
  #acceptPaused = false;
  #held: Socket[] = [];
  #accept: ((socket: Socket) => void) | null = null;

  /** `new Worker('text://0.0.0.0:5678')`; no address = a worker that only runs its callbacks (no listener). */
  constructor(socketName = '') {
    this.#socketName = socketName;
    const scheme = socketName ? parseSocketName(socketName).scheme : 'tcp';
    this.protocol = scheme === 'tcp' ? null : scheme;
    allWorkers.push(this);
  }

  /** The address given to the constructor. */
  getSocketName(): string {
    return this.#socketName;
  }

  /** The bound address (useful with port 0), or null when not listening. */
  address(): AddressInfo | null {
    const address = this.#server?.address();
    return address && typeof address === 'object' ? address : null;
  }

  /** Starts listening in this process only (no process, no onWorkerStart); throws e.g. `… Address already in use`. */
  listen(handle?: ListenHandle): void {
    if (!this.#socketName || this.#server) return;
    const name = parseSocketName(this.#socketName);
    const accept = createAcceptor(this, this.protocol);
    const native = handle ?? bindHandle(name, this.reusePort);
    try {
      startListening(native, name);
    } catch (error) {
      if (!handle) native.close();
      throw error;
    }
    const server = new Server();
    server.on('connection', (socket: Socket) => (this.#acceptPaused ? this.#held.push(socket) : accept(socket)));
    server.on('error', (error) => log(`worker ${this.name} ${this.#socketName}: ${describeError(error)}`));
    server.listen(native);
    this.#server = server;
    listeningWorkers.add(this);
    this.#accept = accept;
  }

  /** Closes the listening socket; connections already open stay open. */
  unlisten(): void {
    this.#server?.close();
    this.#server = null;
    listeningWorkers.delete(this);
  }

  /** Holds new clients unserved (Node cannot stop accepting without closing the socket) until resumeAccept(). */
  pauseAccept(): void {
    this.#acceptPaused = true;
  }

  /** Serves the clients held by pauseAccept() and new ones again. */
  resumeAccept(): void {
    this.#acceptPaused = false;
    const held = this.#held;
    this.#held = [];
    for (const socket of held) if (!socket.destroyed) this.#accept?.(socket);
  }

  /** Starts the master (or this child's part): reads the command line, `start`, `stop`, `reload`, `status`, … */
  static runAll(): void {
    runAll(allWorkers);
  }

  /** Stops this process's part: in a child, the child; in the master, everything; elsewhere, closes all listeners. */
  static stopAll(): void {
    stopAll();
  }

}
