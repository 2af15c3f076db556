import { decodeUid, FRAME_HEADER_BYTES, type FrameKind, type RelayFrame } from './relay-frame.ts';

const EMPTY = new Uint8Array(0);

function u32At(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;
}

// A uid as UTF-16 code units, read in place rather than through a view of its own.
function uidAt(bytes: Uint8Array, at: number, length: number): string {
  let uid = '';
  for (let i = at; i + 1 < at + length; i += 2) uid += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return uid;
}

/** Bigger than any frame a peer sends (a message is capped far below): past it the stream is corrupt. */
const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/**
 * Turns a byte stream, cut anywhere, back into relay frames. Chunks are kept as they came and consumed by
 * offset; a frame's message is a view into its chunk when it lies in one, so nothing is copied twice.
 */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already consumed. */
  private offset = 0;
  private buffered = 0;

  /** Adds a chunk and returns every frame now complete, in order; throws when the stream is corrupt. */
  read(chunk: Uint8Array): RelayFrame[] {
    if (chunk.byteLength > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.byteLength;
    }
    const frames: RelayFrame[] = [];
    while (this.buffered >= FRAME_HEADER_BYTES) {
      // The usual case: the whole frame lies in the first chunk, read in place with one view (its message).
      const first = this.chunks[0]!;
      const at = this.offset;
      if (at + FRAME_HEADER_BYTES <= first.byteLength) {
        const uidLength = u32At(first, at + 9);
        const messageAt = at + 13 + uidLength + 4;
        if (uidLength <= MAX_FRAME_BYTES && messageAt <= first.byteLength) {
          const end = messageAt + u32At(first, messageAt - 4);
          if (end <= first.byteLength) {
            const message = end === messageAt ? EMPTY : first.subarray(messageAt, end);
            frames.push({ type: first[at] as FrameKind, id: u32At(first, at + 1), value: u32At(first, at + 5), uid: uidAt(first, at + 13, uidLength), message });
            this.buffered -= end - at;
            this.offset = end;
            if (end === first.byteLength) this.next();
            continue;
          }
        }
      }
      const uidLength = this.u32(9);
      if (uidLength > MAX_FRAME_BYTES) throw new Error(`relay frame uid of ${uidLength} bytes: the stream is corrupt`);
      if (this.buffered < FRAME_HEADER_BYTES + uidLength) break;
      const messageLength = this.u32(13 + uidLength);
      if (messageLength > MAX_FRAME_BYTES) throw new Error(`relay frame of ${messageLength} bytes: the stream is corrupt`);
      if (this.buffered < FRAME_HEADER_BYTES + uidLength + messageLength) break;
      const type = this.byte(0) as FrameKind;
      const id = this.u32(1);
      const value = this.u32(5);
      this.skip(13);
      const uid = decodeUid(this.take(uidLength));
      this.skip(4);
      frames.push({ type, id, value, uid, message: this.take(messageLength) });
    }
    return frames;
  }

  private byte(at: number): number {
    let i = 0;
    at += this.offset;
    while (at >= this.chunks[i]!.byteLength) at -= this.chunks[i++]!.byteLength;
    return this.chunks[i]![at]!;
  }

  private u32(at: number): number {
    return (this.byte(at) | (this.byte(at + 1) << 8) | (this.byte(at + 2) << 16)) + this.byte(at + 3) * 0x1000000;
  }

  private skip(n: number): void {
    this.buffered -= n;
    this.offset += n;
    while (this.chunks.length > 0 && this.offset >= this.chunks[0]!.byteLength) {
      this.offset -= this.chunks[0]!.byteLength;
      this.chunks.shift();
    }
  }

  /** The next n bytes: a view when they lie in the first chunk, else a copy. */
  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (n === 0 || first === undefined) return EMPTY;
    this.buffered -= n;
    if (this.offset + n <= first.byteLength) {
      const view = first.subarray(this.offset, this.offset + n);
      this.offset += n;
      if (this.offset === first.byteLength) this.next();
      return view;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const part = Math.min(n - filled, chunk.byteLength - this.offset);
      out.set(chunk.subarray(this.offset, this.offset + part), filled);
      filled += part;
      this.offset += part;
      if (this.offset === chunk.byteLength) this.next();
    }
    return out;
  }

  private next(): void {
    this.chunks.shift();
    this.offset = 0;
  }
}
