// Pieces kept as a list; past this many, they go into one buffer that grows by doubling, so a peer that
// trickles a frame in tiny chunks costs its bytes, not an object per chunk.
const MAX_PIECES = 64;

/**
 * The payload of one frame that arrived split across chunks, gathered until whole. It exists only while such a
 * frame is in progress: an idle connection holds none.
 */
export class SplitPayload {
  /** Bytes gathered so far. */
  bytes = 0;
  private pieces: Buffer[] | undefined;
  private grown: Buffer | undefined = undefined;
  private readonly length: number;

  /** `length` is the whole payload's, from the frame header; `first` is its first piece (kept, not copied). */
  constructor(length: number, first: Buffer) {
    this.length = length;
    this.pieces = [first];
    this.bytes = first.length;
  }

  /** Adds the next piece (kept or copied; the chunk it lies in is ours). */
  add(piece: Buffer): void {
    const filled = this.bytes;
    this.bytes += piece.length;
    let grown = this.grown;
    if (grown === undefined) {
      this.pieces!.push(piece);
      if (this.pieces!.length < MAX_PIECES) return;
      this.grown = Buffer.concat(this.pieces!, Math.min(this.length, 2 * this.bytes));
      this.pieces = undefined;
      return;
    }
    if (this.bytes > grown.length) {
      const larger = Buffer.allocUnsafe(Math.min(this.length, 2 * this.bytes));
      grown.copy(larger, 0, 0, filled);
      grown = this.grown = larger;
    }
    piece.copy(grown, filled);
  }

  /** The whole payload as one buffer (call once `bytes` reached the length). */
  whole(): Buffer {
    return this.grown ?? Buffer.concat(this.pieces!, this.bytes);
  }
}

/** Unmasks a client payload in place with its 32-bit masking key, read signed or not (RFC 6455 §5.3). */
export function unmask(payload: Buffer, mask: number): void {
  const m0 = mask >>> 24;
  const m1 = (mask >>> 16) & 0xff;
  const m2 = (mask >>> 8) & 0xff;
  const m3 = mask & 0xff;
  const n = payload.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    payload[i] = payload[i]! ^ m0;
    payload[i + 1] = payload[i + 1]! ^ m1;
    payload[i + 2] = payload[i + 2]! ^ m2;
    payload[i + 3] = payload[i + 3]! ^ m3;
  }
  for (; i < n; i++) payload[i] = payload[i]! ^ ((mask >>> (24 - 8 * (i & 3))) & 0xff);
}
