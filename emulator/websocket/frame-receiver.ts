import { isUtf8 } from 'node:buffer';
import { Opcode } from './frame-writer.ts';
import { SplitPayload, unmask } from './split-payload.ts';

/** What a receiver reports, in the order frames arrive; after a Close or a failure it reports nothing more. */
export interface FrameEvents {
  /** A whole data message: text as a string (valid UTF-8), binary as a Buffer. */
  onMessage(data: string | Buffer, binary: boolean): void;
  /** A ping frame, to be answered with a pong of the same payload. */
  onPing(payload: Buffer): void;
  /** A pong frame: the peer is alive. */
  onPong(): void;
  /** The peer's close frame (1005 when it carried no code). */
  onClose(code: number, reason: string): void;
  /** The stream broke the protocol or a limit: close with this code. */
  onFail(code: number, reason: string): void;
}

/** Most frames one message may come in (as `ws`'s server allows): one more closes with 1008. */
export const MAX_FRAGMENTS = 16 * 1024;

const EMPTY = Buffer.alloc(0);
const HEADER = 0;
const PAYLOAD = 1;

// Close codes a peer may send (RFC 6455 §7.4): the defined ones, and the registered and private ranges.
function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** The message being put together from fragments (exists only while one is open). */
interface Fragments {
  parts: Buffer[];
  bytes: number;
  count: number;
  binary: boolean;
}

/**
 * Client → server frames (RFC 6455 §5), parsed as a byte-count state machine: a header is checked as soon as
 * its bytes are in, whatever the chunks; a payload inside one chunk is read where it lies, and only one
 * split across chunks is gathered.
 */
export class FrameReceiver {
  private state = HEADER;
  // Bytes of a header that a chunk cut short (a copy: at most 13 bytes must not pin a whole chunk).
  private head: Buffer | undefined = undefined;
  // The frame whose payload is awaited: its first header byte, length, and masking key.
  private info = 0;
  private length = 0;
  private mask = 0;
  // Its payload so far, when it came split across chunks.
  private split: SplitPayload | undefined = undefined;
  private message: Fragments | undefined = undefined;
  private stopped = false;
  private readonly limit: { readonly maxPackageSize: number };
  private readonly on: FrameEvents;

  /** `limit.maxPackageSize` is read per frame, so a connection's limit may change after it opens. */
  constructor(limit: { readonly maxPackageSize: number }, on: FrameEvents) {
    this.limit = limit;
    this.on = on;
  }

  /** True between frames, with no message open and nothing held: this receiver keeps no state worth keeping. */
  idle(): boolean {
    return this.state === HEADER && this.head === undefined && this.message === undefined && !this.stopped;
  }

  /** Feeds one chunk from the socket (ours to change: payloads are unmasked in place); reports every frame it completes. */
  push(chunk: Buffer): void {
    let at = 0;
    while (!this.stopped && at < chunk.length) at = this.state === HEADER ? this.header(chunk, at) : this.payload(chunk, at);
  }

  // Reads a header at `at` (after any held header bytes); returns where the chunk's unread bytes start.
  private header(chunk: Buffer, at: number): number {
    const held = this.head?.length ?? 0;
    // 14 bytes is the longest header: joining that many is enough to read one.
    const bytes = held === 0 ? chunk : Buffer.concat([this.head!, chunk.subarray(at, at + 14 - held)]);
    const from = held === 0 ? at : 0;
    const size = this.readHeader(bytes, from);
    if (size === 0) this.head = held === 0 ? Buffer.from(chunk.subarray(at)) : bytes;
    if (size <= 0) return chunk.length;
    this.head = undefined;
    // An empty payload is complete with its header, though the chunk may end right there.
    if (this.length === 0) this.frame(EMPTY);
    return at + size - held;
  }

  // Checks what a header's bytes so far tell, as soon as they are in; 0 = needs more bytes, -1 = failed, else its size.
  private readHeader(buf: Buffer, at: number): number {
    const available = buf.length - at;
    if (available < 2) return 0;
    const b0 = buf[at]!;
    const b1 = buf[at + 1]!;
    const opcode = b0 & 0x0f;
    let length = b1 & 0x7f;
    if ((b0 & 0x70) !== 0) return this.fail(1002, 'reserved bits set without an extension');
    if (opcode === Opcode.continuation) {
      if (!this.message) return this.fail(1002, 'continuation without a message');
    } else if (opcode === Opcode.text || opcode === Opcode.binary) {
      if (this.message) return this.fail(1002, 'new message inside a fragmented one');
    } else if (opcode === Opcode.close || opcode === Opcode.ping || opcode === Opcode.pong) {
      if ((b0 & 0x80) === 0 || length > 125) return this.fail(1002, 'bad control frame');
      if (opcode === Opcode.close && length === 1) return this.fail(1002, 'bad close frame');
    } else return this.fail(1002, `unknown opcode ${opcode}`);
    if ((b1 & 0x80) === 0) return this.fail(1002, 'client frames must be masked');
    let size = 6;
    if (length === 126) {
      if (available < 4) return 0;
      length = buf.readUInt16BE(at + 2);
      size = 8;
    } else if (length === 127) {
      if (available < 10) return 0;
      const high = buf.readUInt32BE(at + 2);
      if (high > 0x1fffff) return this.fail(1009, 'frame too large');
      length = high * 0x100000000 + buf.readUInt32BE(at + 6);
      size = 14;
    }
    const max = this.limit.maxPackageSize;
    if (opcode < Opcode.close && (this.message?.bytes ?? 0) + length > max) return this.fail(1009, `message larger than ${max} bytes`);
    if (available < size) return 0;
    this.info = b0;
    this.length = length;
    // Signed, so it stays a small integer in the object rather than a boxed double.
    this.mask = buf.readInt32BE(at + size - 4);
    this.state = PAYLOAD;
    return size;
  }

  // Takes what the chunk holds of the awaited payload; returns where the chunk's unread bytes start.
  private payload(chunk: Buffer, at: number): number {
    const split = this.split;
    const want = this.length - (split?.bytes ?? 0);
    const end = at + Math.min(want, chunk.length - at);
    if (split === undefined) {
      if (end - at === want) this.frame(chunk.subarray(at, end));
      else this.split = new SplitPayload(this.length, chunk.subarray(at, end));
      return end;
    }
    split.add(chunk.subarray(at, end));
    if (split.bytes === this.length) {
      this.split = undefined;
      this.frame(split.whole());
    }
    return end;
  }

  // A whole frame's payload is in: unmask it and act on it.
  private frame(payload: Buffer): void {
    unmask(payload, this.mask);
    this.state = HEADER;
    this.mask = 0;
    const opcode = this.info & 0x0f;
    if (opcode === Opcode.ping) return this.on.onPing(Buffer.from(payload));
    if (opcode === Opcode.pong) return this.on.onPong();
    if (opcode === Opcode.close) return this.closeFrame(payload);
    this.data(opcode, (this.info & 0x80) !== 0, payload);
  }

  private data(opcode: number, fin: boolean, payload: Buffer): void {
    const message = this.message;
    if (message === undefined) {
      if (fin) return this.deliver(payload, opcode === Opcode.binary);
      this.message = { parts: payload.length > 0 ? [Buffer.from(payload)] : [], bytes: payload.length, count: 1, binary: opcode === Opcode.binary };
      return;
    }
    if (++message.count > MAX_FRAGMENTS) return void this.fail(1008, `message in more than ${MAX_FRAGMENTS} fragments`);
    if (payload.length > 0) {
      message.parts.push(Buffer.from(payload));
      message.bytes += payload.length;
    }
    if (!fin) return;
    this.message = undefined;
    this.deliver(Buffer.concat(message.parts, message.bytes), message.binary);
  }

  private deliver(payload: Buffer, binary: boolean): void {
    if (binary) return this.on.onMessage(Buffer.from(payload), true);
    if (!isUtf8(payload)) return void this.fail(1007, 'text message is not valid UTF-8');
    this.on.onMessage(payload.toString('utf8'), false);
  }

  private closeFrame(payload: Buffer): void {
    let code = 1005;
    let reason = '';
    if (payload.length > 0) {
      code = payload.readUInt16BE(0);
      if (!validCloseCode(code)) return void this.fail(1002, 'bad close frame');
      const text = payload.subarray(2);
      if (!isUtf8(text)) return void this.fail(1007, 'close reason is not valid UTF-8');
      reason = text.toString('utf8');
    }
    // Nothing after a Close is read (RFC 6455 §5.5.1).
    this.stop();
    this.on.onClose(code, reason);
  }

  private stop(): void {
    this.stopped = true;
    this.head = undefined;
    this.split = undefined;
    this.message = undefined;
  }

  private fail(code: number, reason: string): -1 {
    this.stop();
    this.on.onFail(code, reason);
    return -1;
  }
}
