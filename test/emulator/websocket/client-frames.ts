import { FrameReceiver } from '../../../emulator/websocket/frame-receiver.ts';

/** How a test frame departs from what a browser sends. */
export interface FrameShape {
  fin?: boolean;
  /** Sent unmasked (a protocol error from a client). */
  unmasked?: boolean;
  /** RSV1..3 bits, as 0..7. */
  rsv?: number;
  /** The length field claims this instead of the payload's length (only the header is sent then). */
  claimedLength?: number;
}

/** A client frame as browsers send it (masked), or broken as `shape` says. */
export function clientFrame(opcode: number, payload: string | Uint8Array, shape: FrameShape = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
  const length = shape.claimedLength ?? body.length;
  const masked = !shape.unmasked;
  const extra = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const header = Buffer.alloc(2 + extra + (masked ? 4 : 0));
  header[0] = (shape.fin === false ? 0 : 0x80) | ((shape.rsv ?? 0) << 4) | opcode;
  header[1] = (masked ? 0x80 : 0) | (extra === 0 ? length : extra === 2 ? 126 : 127);
  if (extra === 2) header.writeUInt16BE(length, 2);
  if (extra === 8) {
    header.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    header.writeUInt32BE(length >>> 0, 6);
  }
  if (shape.claimedLength !== undefined) return header;
  if (!masked) return Buffer.concat([header, body]);
  const mask = [0x12, 0x9a, 0x00, 0xff];
  header.set(mask, 2 + extra);
  for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, body]);
}

/** What a receiver reported, as plain values that compare with toEqual. */
export type Event = ['text', string] | ['binary', number[]] | ['ping', string] | ['pong'] | ['close', number, string] | ['fail', number, string];

/** Feeds `chunks` to a fresh FrameReceiver (copies: it unmasks in place) and lists what it reported. */
export function feed(chunks: Buffer[], maxPackageSize = 1 << 20): Event[] {
  const events: Event[] = [];
  const receiver = new FrameReceiver({ maxPackageSize }, {
    onMessage: (data, binary) => events.push(binary ? ['binary', [...(data as Buffer)]] : ['text', data as string]),
    onPing: (payload) => events.push(['ping', payload.toString('latin1')]),
    onPong: () => events.push(['pong']),
    onClose: (code, reason) => events.push(['close', code, reason]),
    onFail: (code, reason) => events.push(['fail', code, reason]),
  });
  for (const chunk of chunks) receiver.push(Buffer.from(chunk));
  return events;
}

/** `bytes` cut before each offset in `cuts` (ascending, inside the buffer). */
export function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const at of cuts) {
    if (at <= from || at >= bytes.length) continue;
    chunks.push(bytes.subarray(from, at));
    from = at;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** `bytes` one byte per chunk. */
export function byteByByte(bytes: Buffer): Buffer[] {
  return Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
}

/** Cut points from a small seeded generator, so a failure reproduces. */
export function seededCuts(length: number, seed: number, count = 8): number[] {
  let state = seed >>> 0 || 1;
  const cuts: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    cuts.push(state % Math.max(1, length));
  }
  return cuts.sort((a, b) => a - b);
}
