import { isUtf8 } from 'node:buffer';
import { Opcode } from './frame-writer.ts';

/** What a receiver reports, in the order frames arrive. */
export interface FrameEvents {
  /** A whole data message: text as a string (valid UTF-8), binary as a Buffer. */
  onMessage(data: string | Buffer, binary: boolean): void;
  /** A ping frame, to be answered with a pong of the same payload. */
  onPing(payload: Buffer): void;
  /** A pong frame: the peer is alive. */
  onPong(): void;
  /** The peer's close frame (1005 when it carried no code). */
  onClose(code: number, reason: string): void;
  /** The stream broke the protocol: close with this code; nothing more is parsed. */
  onFail(code: number, reason: string): void;
}

// Close codes a peer may send (RFC 6455 §7.4): the defined ones, and the registered and private ranges.
function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/**
 * Client → server frames (RFC 6455 §5), parsed from the socket's chunks as they come. A frame inside one
 * chunk is read where it lies; only a frame split across chunks is joined, and a large message's chunks are
 * gathered in a list and joined once.
 */
export class FrameReceiver {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private fragments: Buffer[] | null = null;
  private fragmentsBytes = 0;
  private fragmentsBinary = false;
  private failed = false;
  private readonly limit: { readonly maxPackageSize: number };
  private readonly on: FrameEvents;

  /** `limit.maxPackageSize` is read per frame, so a connection's limit may change after it opens. */
  constructor(limit: { readonly maxPackageSize: number }, on: FrameEvents) {
    this.limit = limit;
    this.on = on;
  }

  /** Feeds one chunk from the socket; reports every frame it completes. */
  push(chunk: Buffer): void {
    if (this.failed) return;
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      // Wait until the frame in progress can be complete, then join once.
      if (this.pendingBytes < this.needed()) return;
      chunk = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let at = 0;
    while (at < chunk.length && !this.failed) {
      const used = this.frame(chunk, at);
      if (used === 0) break;
      at += used;
    }
    if (at < chunk.length && !this.failed) {
      this.pending.push(at === 0 ? chunk : chunk.subarray(at));
      this.pendingBytes = chunk.length - at;
    }
  }

  // Bytes the frame at the head of `pending` needs in all, as far as its header tells so far.
  private needed(): number {
    const head = this.pending[0]!;
    if (this.pendingBytes < 2 || head.length < 2) return 14;
    const len7 = head[1]! & 0x7f;
    const lengthBytes = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    if (len7 < 126) return 6 + len7;
    if (head.length < 2 + lengthBytes) return 14;
    const length = len7 === 126 ? head.readUInt16BE(2) : head.readUInt32BE(2) * 0x100000000 + head.readUInt32BE(6);
    return 2 + lengthBytes + 4 + length;
  }

  // Parses one frame at `at`; returns the bytes it used, or 0 when the frame is not complete yet.
  private frame(buf: Buffer, at: number): number {
    const available = buf.length - at;
    if (available < 2) return 0;
    const b0 = buf[at]!;
    const b1 = buf[at + 1]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if ((b0 & 0x70) !== 0) return this.fail(1002, 'reserved bits set without an extension');
    if ((b1 & 0x80) === 0) return this.fail(1002, 'client frames must be masked');
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (available < 4) return 0;
      length = buf.readUInt16BE(at + 2);
      offset = 4;
    } else if (length === 127) {
      if (available < 10) return 0;
      const high = buf.readUInt32BE(at + 2);
      if (high > 0x1fffff) return this.fail(1009, 'frame too large');
      length = high * 0x100000000 + buf.readUInt32BE(at + 6);
      offset = 10;
    }
    const control = opcode >= 0x8;
    if (control && (!fin || length > 125)) return this.fail(1002, 'bad control frame');
    const max = this.limit.maxPackageSize;
    if (!control && this.fragmentsBytes + length > max) return this.fail(1009, `message larger than ${max} bytes`);
    if (available < offset + 4 + length) return 0;
    const maskAt = at + offset;
    const payload = buf.subarray(maskAt + 4, maskAt + 4 + length);
    // Unmask in place: the chunk is ours alone.
    for (let i = 0; i < length; i++) payload[i] = payload[i]! ^ buf[maskAt + (i & 3)]!;
    this.dispatch(opcode, fin, payload);
    return offset + 4 + length;
  }

  private dispatch(opcode: number, fin: boolean, payload: Buffer): void {
    switch (opcode) {
      case Opcode.text:
      case Opcode.binary:
        if (this.fragments) return void this.fail(1002, 'new message inside a fragmented one');
        if (fin) return this.deliver(payload, opcode === Opcode.binary);
        this.fragments = [Buffer.from(payload)];
        this.fragmentsBytes = payload.length;
        this.fragmentsBinary = opcode === Opcode.binary;
        return;
      case Opcode.continuation:
        if (!this.fragments) return void this.fail(1002, 'continuation without a message');
        this.fragments.push(Buffer.from(payload));
        this.fragmentsBytes += payload.length;
        if (!fin) return;
        payload = Buffer.concat(this.fragments, this.fragmentsBytes);
        this.fragments = null;
        this.fragmentsBytes = 0;
        return this.deliver(payload, this.fragmentsBinary);
      case Opcode.ping:
        return this.on.onPing(Buffer.from(payload));
      case Opcode.pong:
        return this.on.onPong();
      case Opcode.close:
        return this.closeFrame(payload);
      default:
        return void this.fail(1002, `unknown opcode ${opcode}`);
    }
  }

  private deliver(payload: Buffer, binary: boolean): void {
    if (binary) return this.on.onMessage(Buffer.from(payload), true);
    if (!isUtf8(payload)) return void this.fail(1007, 'text message is not valid UTF-8');
    this.on.onMessage(payload.toString('utf8'), false);
  }

  private closeFrame(payload: Buffer): void {
    if (payload.length === 0) return this.on.onClose(1005, '');
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 0;
    if (!validCloseCode(code)) return void this.fail(1002, 'bad close frame');
    const reason = payload.subarray(2);
    if (!isUtf8(reason)) return void this.fail(1007, 'close reason is not valid UTF-8');
    this.failed = true;
    this.on.onClose(code, reason.toString('utf8'));
  }

  private fail(code: number, reason: string): 0 {
    this.failed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.fragments = null;
    this.on.onFail(code, reason);
    return 0;
  }
}
