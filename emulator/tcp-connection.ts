import type { Socket } from 'node:net';
import { safeCall } from './callbacks.ts';
import { describeError, log } from './log.ts';
import { processStats } from './process-stats.ts';
import type { Protocol } from './protocols/types.ts';
import type { Worker } from './worker.ts';

/** A transport that owns the socket's bytes itself (ws for WebSocket, node:http for HTTP) instead of our framing loop. */
export interface Outlet {
  send(data: unknown, done: () => void): void;
  /** Closes; a WebSocket outlet sends the close code and reason. */
  close(code?: number, reason?: string): void;
  destroy(): void;
  pause(): void;
  resume(): void;
}

/** onError codes, as Workerman's `WORKERMAN_SEND_FAIL`. */
export const SEND_FAIL = 2;

const EMPTY = Buffer.alloc(0);
let nextId = 1;

/** One accepted client: framing, decoding, sending with a bounded buffer, and any properties you attach (`conn.uid`). */
export class TcpConnection {
  /** Default for `maxPackageSize` of new connections (10 MiB). */
  static defaultMaxPackageSize = 10 * 1024 * 1024;
  /** Default for `maxSendBufferSize` of new connections (1 MiB). */
  static defaultMaxSendBufferSize = 1024 * 1024;

  // Free per-connection properties, as PHP allows `$connection->uid = …`.
  [prop: string]: unknown;

  /** Unique in this process. */
  readonly id = nextId++;
  /** The Worker that accepted this connection. */
  readonly worker: Worker;
  /** Largest packet accepted; a bigger one closes this connection. */
  maxPackageSize = TcpConnection.defaultMaxPackageSize;
  /** Pending outgoing bytes at which send() drops data and onBufferFull fires. */
  maxSendBufferSize = TcpConnection.defaultMaxSendBufferSize;
  /** Bytes received and sent (for `connections`). */
  bytesRead = 0;
  bytesWritten = 0;

  readonly #socket: Socket;
  readonly #protocol: Protocol | null;
  readonly #outlet: Outlet | null;
  #buffer: Buffer = EMPTY;
  #packageLength = 0;
  #paused = false;
  #bufferFull = false;
  #status: 'established' | 'closing' | 'closed' = 'established';

  /** Wraps an accepted socket; with an outlet, the outlet reads and writes and calls `deliver()` per message. */
  constructor(worker: Worker, socket: Socket, protocol: Protocol | null, outlet: Outlet | null = null) {
    this.worker = worker;
    this.#socket = socket;
    this.#protocol = protocol;
    this.#outlet = outlet;
    socket.setNoDelay(true);
    if (!outlet) socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    else socket.on('data', (chunk: Buffer) => (this.bytesRead += chunk.length));
    // A reset or broken pipe is an ordinary way for a client to leave; 'close' follows and does the cleanup.
    socket.on('error', () => {});
    socket.on('close', () => this.#closed());
    socket.on('drain', () => this.#drained());
    worker.connections.set(this.id, this);
    processStats.connections++;
    safeCall('onConnect', worker.onConnect, this);
  }

  /** Sends one message, encoded by the protocol unless `raw`; false if dropped (closed, or send buffer full). */
  send(data: unknown, raw = false): boolean {
    if (this.#status !== 'established') return this.#sendFailed('connection is closed');
    if (this.#socket.writableLength >= this.maxSendBufferSize) return this.#sendFailed('send buffer full and drop package');
    if (this.#outlet) {
      this.#outlet.send(data, () => this.#drained());
    } else {
      const bytes = raw || !this.#protocol ? toBytes(data) : toBytes(this.#protocol.encode(data, this));
      this.bytesWritten += bytes.length;
      this.#socket.write(bytes, () => this.#drained());
    }
    if (!this.#bufferFull && this.#socket.writableLength >= this.maxSendBufferSize) {
      this.#bufferFull = true;
      safeCall('onBufferFull', this.worker.onBufferFull, this);
    }
    return true;
  }

  /** Sends `data` if given, then closes after the send buffer is flushed. */
  close(data?: unknown, raw = false): void {
    if (this.#status !== 'established') return;
    if (data !== undefined) this.send(data, raw);
    this.#status = 'closing';
    if (this.#outlet) this.#outlet.close();
    else this.#socket.end();
  }

  /** WebSocket connections: closes with a close code and reason (a pushport extension); others just close. */
  closeWithCode(code: number, reason: string): void {
    if (this.#status !== 'established') return;
    this.#status = 'closing';
    if (this.#outlet) this.#outlet.close(code, reason);
    else this.#socket.end();
  }

  /** Closes at once, dropping anything not yet sent. */
  destroy(): void {
    if (this.#status === 'closed') return;
    if (this.#outlet) this.#outlet.destroy();
    this.#socket.destroy();
  }

  /** Client address as the socket sees it. */
  getRemoteIp(): string {
    return this.#socket.remoteAddress ?? '';
  }

  getRemotePort(): number {
    return this.#socket.remotePort ?? 0;
  }

  getLocalIp(): string {
    return this.#socket.localAddress ?? '';
  }

  getLocalPort(): number {
    return this.#socket.localPort ?? 0;
  }

  /** Bytes accepted by send() but not yet handed to the kernel. */
  getSendBufferQueueSize(): number {
    return this.#socket.writableLength;
  }

  /** Stops reading (and delivering already-buffered packets) until resumeRecv(): flow control for slow consumers. */
  pauseRecv(): void {
    this.#paused = true;
    if (this.#outlet) this.#outlet.pause();
    else this.#socket.pause();
  }

  resumeRecv(): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (this.#outlet) this.#outlet.resume();
    else this.#socket.resume();
    this.#parse();
  }

  /** 'established' | 'closing' | 'closed'. */
  get status(): string {
    return this.#status;
  }

  /** Hands one decoded message to onMessage; outlets call this, the framing loop too. */
  deliver(message: unknown): void {
    if (this.#status === 'closed') return;
    processStats.messages++;
    safeCall('onMessage', this.worker.onMessage, this, message);
  }

  #sendFailed(reason: string): false {
    processStats.sendFails++;
    safeCall('onError', this.worker.onError, this, SEND_FAIL, reason);
    return false;
  }

  #receive(chunk: Buffer): void {
    this.bytesRead += chunk.length;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    this.#parse();
  }

  // The one framing loop for every framed protocol: ask the protocol where the packet ends, cut, decode, deliver.
  #parse(): void {
    while (this.#buffer.length > 0 && this.#status === 'established' && !this.#paused) {
      const protocol = this.#protocol;
      if (!protocol) {
        // Raw tcp:// has no packets: each chunk is a message.
        const chunk = this.#buffer;
        this.#buffer = EMPTY;
        this.deliver(chunk);
        continue;
      }
      if (this.#packageLength === 0) {
        let length: number;
        try {
          length = protocol.input(this.#buffer, this);
        } catch (error) {
          return this.#reject(`protocol input() threw: ${describeError(error)}`);
        }
        if (length === 0) {
          // Still waiting for the end of a packet: stop a client that streams forever without one.
          if (this.#buffer.length >= this.maxPackageSize) this.#reject(`no packet end within maxPackageSize ${this.maxPackageSize}`);
          return;
        }
        if (!(length > 0) || length > this.maxPackageSize) return this.#reject(`bad package length ${length}`);
        this.#packageLength = length;
      }
      if (this.#buffer.length < this.#packageLength) return;
      const packet = this.#buffer.subarray(0, this.#packageLength);
      this.#buffer = this.#buffer.subarray(this.#packageLength);
      this.#packageLength = 0;
      let message: unknown;
      try {
        message = protocol.decode(packet, this);
      } catch (error) {
        return this.#reject(`protocol decode() threw: ${describeError(error)}`);
      }
      this.deliver(message);
    }
  }

  // A broken or oversize stream costs this connection only; the server keeps serving everyone else.
  #reject(reason: string): void {
    log(`closing connection ${this.id} from ${this.getRemoteIp()}:${this.getRemotePort()}: ${reason}`);
    this.#buffer = EMPTY;
    this.destroy();
  }

  #drained(): void {
    if (!this.#bufferFull || this.#socket.writableLength > 0) return;
    this.#bufferFull = false;
    safeCall('onBufferDrain', this.worker.onBufferDrain, this);
  }

  #closed(): void {
    if (this.#status === 'closed') return;
    this.#status = 'closed';
    this.#buffer = EMPTY;
    this.worker.connections.delete(this.id);
    processStats.connections--;
    safeCall('onClose', this.worker.onClose, this);
  }
}

function toBytes(data: unknown): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : String(data), 'utf8');
}
