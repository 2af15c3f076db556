import { describeError } from '../log.ts';
import type { Protocol } from '../protocols/types.ts';
import type { TcpConnection } from '../tcp-connection.ts';

const EMPTY = Buffer.alloc(0);
// A text line's `\r\n` is not part of its size (the text protocol checks lines exactly); two bytes of slack here.
const LINE_END = 2;

/**
 * The one framing loop for every Workerman protocol: ask the protocol where the packet ends, cut, decode,
 * deliver. The receive buffer is consumed by offset: a chunk holding many packets is never copied, and only
 * an unfinished packet's bytes are joined with the next chunk.
 */
export class PacketReader {
  /** While true, buffered packets wait (flow control); drain() delivers them. */
  paused = false;
  private buffer: Buffer = EMPTY;
  private offset = 0;
  private packetLength = 0;
  private readonly connection: TcpConnection;
  private readonly protocol: Protocol | null;
  private readonly reject: (reason: string) => void;

  constructor(connection: TcpConnection, protocol: Protocol | null, reject: (reason: string) => void) {
    this.connection = connection;
    this.protocol = protocol;
    this.reject = reject;
  }

  /** One chunk from the socket. */
  push(chunk: Buffer): void {
    const left = this.buffer.length - this.offset;
    this.buffer = left === 0 ? chunk : Buffer.concat([this.buffer.subarray(this.offset), chunk]);
    this.offset = 0;
    this.drain();
  }

  /** Delivers every whole packet buffered, until paused or closed. */
  drain(): void {
    const protocol = this.protocol;
    const connection = this.connection;
    while (this.offset < this.buffer.length && !this.paused && connection.status === 'established') {
      if (!protocol) {
        // Raw tcp:// has no packets: each chunk is a message.
        const chunk = this.offset === 0 ? this.buffer : this.buffer.subarray(this.offset);
        this.clear();
        connection.deliver(chunk);
        continue;
      }
      const rest = this.offset === 0 ? this.buffer : this.buffer.subarray(this.offset);
      if (this.packetLength === 0) {
        let length: number;
        try {
          length = protocol.input(rest, connection);
        } catch (error) {
          return this.fail(`protocol input() threw: ${describeError(error)}`);
        }
        if (length === 0) {
          // Still waiting for the end of a packet: stop a client that streams forever without one.
          if (rest.length >= connection.maxPackageSize + LINE_END) this.fail(`no packet end within maxPackageSize ${connection.maxPackageSize}`);
          return;
        }
        if (!(length > 0) || length > connection.maxPackageSize + LINE_END) {
          return this.fail(`bad package length ${length} (over maxPackageSize ${connection.maxPackageSize}, or a broken stream)`);
        }
        this.packetLength = length;
      }
      if (rest.length < this.packetLength) return;
      const packet = rest.subarray(0, this.packetLength);
      this.offset += this.packetLength;
      this.packetLength = 0;
      if (this.offset === this.buffer.length) this.clear();
      let message: unknown;
      try {
        message = protocol.decode(packet, connection);
      } catch (error) {
        return this.fail(`protocol decode() threw: ${describeError(error)}`);
      }
      connection.deliver(message);
    }
  }

  private clear(): void {
    this.buffer = EMPTY;
    this.offset = 0;
  }

  // A broken or oversize stream costs this connection only; the server keeps serving everyone else.
  private fail(reason: string): void {
    this.clear();
    this.reject(reason);
  }
}
