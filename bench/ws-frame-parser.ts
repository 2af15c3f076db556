import { randomBytes } from 'node:crypto';

// Opcodes of RFC 6455 that a push client meets; anything else is passed to onControl as-is.
const CONTINUATION = 0x0;
const TEXT = 0x1;
const BINARY = 0x2;
const SPACE = 0x20;
// A seq longer than this is not one (the server's are at most 15 digits).
const MAX_SEQ_DIGITS = 15;

/** What the parser hands out: data messages whole (fragments joined), control frames one by one. */
export interface FrameSink {
  /**
   * A text or binary message; `payload` may be a view into the socket's chunk, valid only during the call.
   * With `seqPrefix`, a text message's `<seq> ` is cut off and passed as `seq` (-1 when it had none).
   */
  onMessage(payload: Buffer, binary: boolean, seq: number): void;
  /** A close (8), ping (9) or pong (10) frame. */
  onControl(opcode: number, payload: Buffer): void;
}

/**
 * Reads server→client WebSocket frames (unmasked, 7/16/64-bit lengths) from a byte stream, as small as a
 * load client can afford: a frame wholly inside one chunk is handed out as a view, with no copy; only a frame
 * split over chunks is gathered into one buffer.
 */
export class FrameParser {
  private pending: Buffer | undefined;
  private fragments: Buffer[] = [];
  private fragmentBinary = false;
  /** Set by a masked frame or a length past 2^53: the stream can no longer be trusted. */
  error: string | undefined;

  private readonly sink: FrameSink;
  private readonly seqPrefix: boolean;

  /** With `seqPrefix` (a pushport.v1 client), each text message is read as `<seq> <message>`. */
  constructor(sink: FrameSink, seqPrefix = false) {
    this.sink = sink;
    this.seqPrefix = seqPrefix;
  }

  /** Feeds the next chunk read from the socket. */
  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    let at = 0;
    while (at < buf.length && this.error === undefined) {
      const used = this.frame(buf, at);
      if (used === 0) break;
      at += used;
    }
    // A tail shorter than one frame waits for the next chunk; copied, as the socket may reuse its chunk.
    if (at < buf.length && this.error === undefined) this.pending = Buffer.from(buf.subarray(at));
  }

  // Bytes of the frame starting at `at`, or 0 when it is not all there yet.
  private frame(buf: Buffer, at: number): number {
    if (buf.length - at < 2) return 0;
    const first = buf[at]!;
    const second = buf[at + 1]!;
    if (second & 0x80) {
      this.error = 'a server frame was masked';
      return 0;
    }
    let length = second & 0x7f;
    let header = 2;
    if (length === 126) {
      if (buf.length - at < 4) return 0;
      length = buf.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (buf.length - at < 10) return 0;
      const high = buf.readUInt32BE(at + 2);
      if (high > 0x1fffff) {
        this.error = 'a frame longer than 2^53 bytes';
        return 0;
      }
      length = high * 2 ** 32 + buf.readUInt32BE(at + 6);
      header = 10;
    }
    if (buf.length - at < header + length) return 0;
    const payload = buf.subarray(at + header, at + header + length);
    this.deliver(first & 0x80, first & 0x0f, payload);
    return header + length;
  }

  private deliver(fin: number, opcode: number, payload: Buffer): void {
    if (opcode >= 0x8) return this.sink.onControl(opcode, payload);
    if (opcode === TEXT || opcode === BINARY) {
      if (fin) return this.message(payload, opcode === BINARY);
      this.fragmentBinary = opcode === BINARY;
      this.fragments = [Buffer.from(payload)];
      return;
    }
    if (opcode === CONTINUATION) {
      this.fragments.push(Buffer.from(payload));
      if (fin) {
        const whole = Buffer.concat(this.fragments);
        this.fragments = [];
        this.message(whole, this.fragmentBinary);
      }
    }
  }

  private message(payload: Buffer, binary: boolean): void {
    if (!this.seqPrefix || binary) return this.sink.onMessage(payload, binary, -1);
    const at = seqPrefixLength(payload);
    if (at === 0) return this.sink.onMessage(payload, binary, -1);
    let seq = 0;
    for (let i = 0; i < at - 1; i++) seq = seq * 10 + (payload[i]! - 48);
    this.sink.onMessage(payload.subarray(at), binary, seq);
  }
}

/** Bytes of the `<digits> ` that starts a pushport.v1 message (space included), or 0 when it has none. */
export function seqPrefixLength(payload: Buffer): number {
  const end = Math.min(payload.length, MAX_SEQ_DIGITS + 1);
  for (let i = 0; i < end; i++) {
    const c = payload[i]!;
    if (c === SPACE) return i > 0 ? i + 1 : 0;
    if (c < 48 || c > 57) return 0;
  }
  return 0;
}

/** One client→server frame (FIN set, masked as RFC 6455 requires of clients); opcode 1 text, 10 pong. */
export function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + 4 + length);
  frame[0] = 0x80 | opcode;
  if (header === 2) frame[1] = 0x80 | length;
  else if (header === 4) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  const mask = randomBytes(4);
  mask.copy(frame, header);
  for (let i = 0; i < length; i++) frame[header + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}
