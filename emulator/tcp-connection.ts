import type { Socket } from 'node:net';
import { safeCall } from './callbacks.ts';
import { processStats } from './process-stats.ts';
import { listenCompactly } from './socket-events.ts';
import type { Worker } from './worker.ts';

/**
 * What moves one connection's bytes: our framing loop (text, frame, …), a WebSocket, or node:http.
 * The connection owns the lifecycle and the limits; the transport only reads and writes.
 */
export interface Transport {
  /** One chunk read from the socket; a transport whose socket another reader owns (node:http) has none. */
  receive?(chunk: Buffer): void;
  /** Encodes one message (unless `raw`); returns the bytes to write, or null when there is nothing to write. */
  encode(data: unknown, raw: boolean): Buffer | null;
  /** Writes bytes that encode() produced. */
  write(bytes: Buffer): void;
  /** Closes after what is queued; a WebSocket sends its Close first and ends TCP once the peer answered (bounded). */
  close(code: number, reason: string): void;
  /** Stops and resumes reading (flow control). */
  pause(): void;
  resume(): void;
  /** Bytes written that the transport still holds before handing them to the socket (0 when it holds none). */
  heldLength?(): number;
}

/** onError codes, as Workerman's `WORKERMAN_SEND_FAIL`. */
export const SEND_FAIL = 2;

const EMPTY = Buffer.alloc(0);
let nextId = 1;

// A connection's state, packed: the status in the low bits, the flow flags above them.
const State = { established: 0, closing: 1, closed: 2, status: 3, paused: 4, bufferFull: 8 } as const;
const STATUS_NAMES = ['established', 'closing', 'closed'] as const;

let sendFailed: (connection: TcpConnection, reason: string) => false;
let drained: (connection: TcpConnection) => void;
let closed: (connection: TcpConnection) => void;

// The socket's way back to its connection: one property, so the socket's listeners can be shared functions
// rather than closures (three closures and their scopes, per connection, cost more than the whole slot).
const CONNECTION = Symbol('pushport.connection');
type OwnedSocket = Socket & { [CONNECTION]: TcpConnection };

/** A connection's transport, for the emulator's own layers (the heartbeat walks connections rather than keep a set of its own). */
export let transportOf: (connection: TcpConnection) => Transport;

/** One accepted client: its transport, a bounded send buffer, and any properties you attach (`conn.uid`). */
export class TcpConnection {
  /** Default for `maxPackageSize` of new connections (10 MiB). */
  static defaultMaxPackageSize = 10 * 1024 * 1024;
  /** Default for `maxSendBufferSize` of new connections (1 MiB). */
  static defaultMaxSendBufferSize = 1024 * 1024;

  // Free per-connection properties, as PHP allows `$connection->uid = …`.
  [prop: string | symbol]: unknown;

  /** Unique in this process. */
  readonly id = nextId++;
  /** The Worker that accepted this connection. */
  readonly worker: Worker;
  /** Largest packet or message accepted; a bigger one closes this connection. */
  maxPackageSize = TcpConnection.defaultMaxPackageSize;
  /** Most bytes waiting to be written: a send() that would go past it is dropped, and onBufferFull fires. */
  maxSendBufferSize = TcpConnection.defaultMaxSendBufferSize;

  /** The socket under the transport. */
  readonly socket: Socket;
  readonly #transport: Transport;
  // The status and the two flow flags in one field (see State): every field is paid per connection.
  #state: number = State.established;

  static {
    transportOf = (connection) => connection.#transport;
    // Module functions rather than private methods: a class with private methods stamps a brand on each instance.
    sendFailed = (connection, reason) => {
      processStats.sendFails++;
      safeCall('onError', connection.worker.onError, connection, SEND_FAIL, reason);
      return false;
    };
    drained = (connection) => {
      if ((connection.#state & State.bufferFull) === 0 || connection.socket.writableLength > 0) return;
      connection.#state &= ~State.bufferFull;
      safeCall('onBufferDrain', connection.worker.onBufferDrain, connection);
    };
    closed = (connection) => {
      if ((connection.#state & State.status) === State.closed) return;
      connection.#state = (connection.#state & ~State.status) | State.closed;
      connection.worker.connections.delete(connection.id);
      processStats.connections--;
      safeCall('onClose', connection.worker.onClose, connection);
    };
  }

  /** Wraps an accepted socket; `transport` is built for this connection before onConnect runs. */
  constructor(worker: Worker, socket: Socket, transport: (connection: TcpConnection) => Transport) {
    this.worker = worker;
    this.socket = socket;
    socket.setNoDelay(true);
    (socket as OwnedSocket)[CONNECTION] = this;
    this.#transport = transport(this);
    // A reset or broken pipe is an ordinary way for a client to leave ('error'); 'close' follows and does the cleanup.
    listenCompactly(socket, { data: this.#transport.receive && TcpConnection.#onData, error: ignore, close: TcpConnection.#onClose, drain: TcpConnection.#onDrain });
    worker.connections.set(this.id, this);
    processStats.connections++;
    safeCall('onConnect', worker.onConnect, this);
  }

  /** Sends one message, encoded by the protocol unless `raw`; false if dropped (closed, or send buffer full). */
  send(data: unknown, raw = false): boolean {
    if ((this.#state & State.status) !== State.established) return sendFailed(this, 'connection is closed');
    const bytes = this.#transport.encode(data, raw);
    if (bytes === null) return true;
    if (this.getSendBufferQueueSize() + bytes.length > this.maxSendBufferSize) {
      if ((this.#state & State.bufferFull) === 0) {
        this.#state |= State.bufferFull;
        // 'drain' comes only after a write past the socket's high-water mark; otherwise ask to hear of the flush.
        if (!this.socket.writableNeedDrain) this.socket.write(EMPTY, () => drained(this));
        safeCall('onBufferFull', this.worker.onBufferFull, this);
      }
      return sendFailed(this, 'send buffer full and drop package');
    }
    this.#transport.write(bytes);
    return true;
  }

  /** Sends `data` if given, then closes after the send buffer is flushed. */
  close(data?: unknown, raw = false): void {
    if ((this.#state & State.status) !== State.established) return;
    if (data !== undefined) this.send(data, raw);
    this.closeWithCode(1000, '');
  }

  /** WebSocket connections: closes with a close code and reason (a pushport extension); others just close. */
  closeWithCode(code: number, reason: string): void {
    if ((this.#state & State.status) !== State.established) return;
    this.#state |= State.closing;
    this.#transport.close(code, reason);
  }

  /** Closes at once, dropping anything not yet sent. */
  destroy(): void {
    if ((this.#state & State.status) === State.closed) return;
    this.socket.destroy();
  }

  /** Client address as the socket sees it. */
  getRemoteIp(): string {
    return this.socket.remoteAddress ?? '';
  }

  getRemotePort(): number {
    return this.socket.remotePort ?? 0;
  }

  getLocalIp(): string {
    return this.socket.localAddress ?? '';
  }

  getLocalPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** Bytes accepted by send() but not yet handed to the kernel. */
  getSendBufferQueueSize(): number {
    return this.socket.writableLength + (this.#transport.heldLength?.() ?? 0);
  }

  /** Stops reading (and delivering already-buffered packets) until resumeRecv(): flow control for slow consumers. */
  pauseRecv(): void {
    this.#state |= State.paused;
    this.#transport.pause();
  }

  resumeRecv(): void {
    if ((this.#state & State.paused) === 0) return;
    this.#state &= ~State.paused;
    this.#transport.resume();
  }

  /** True between pauseRecv() and resumeRecv(). */
  get paused(): boolean {
    return (this.#state & State.paused) !== 0;
  }

  /** Bytes received (for `connections`): the socket's own count, so nothing is added up per chunk. */
  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  /** Bytes sent, handshakes and frame headers included. */
  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }

  /** 'established' | 'closing' | 'closed'. */
  get status(): string {
    return STATUS_NAMES[this.#state & State.status]!;
  }

  /** Hands one decoded message to onMessage; transports call this. Nothing is delivered once closing began (as Workerman's baseRead). */
  deliver(message: unknown): void {
    if ((this.#state & State.status) !== State.established) return;
    processStats.messages++;
    safeCall('onMessage', this.worker.onMessage, this, message);
  }

  // The socket's listeners, shared by every connection: `this` is the socket.
  static #onData(this: Socket, chunk: Buffer): void {
    (this as OwnedSocket)[CONNECTION].#transport.receive!(chunk);
  }

  static #onClose(this: Socket): void {
    closed((this as OwnedSocket)[CONNECTION]);
  }

  static #onDrain(this: Socket): void {
    drained((this as OwnedSocket)[CONNECTION]);
  }
}

function ignore(): void {}
