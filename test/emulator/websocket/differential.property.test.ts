import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { FrameReceiver, MAX_FRAGMENTS } from '../../../emulator/websocket/frame-receiver.ts';
import { encodeClose, encodeFrame, Opcode } from '../../../emulator/websocket/frame-writer.ts';
import { byteByByte, clientFrame, cutAt, type FrameShape } from './client-frames.ts';

/**
 * Our receiver and writer against `ws`'s own Receiver, the library this layer replaces: the same client bytes,
 * cut anywhere, must give the same events (each message's type and bytes, pings, pongs, the peer's Close) and,
 * when the stream breaks the protocol, the same close code. Reasons are compared nowhere: they are prose.
 *
 * Where the two differ by design (none changes a close code or an event):
 * - a pong's payload: we report only that a pong came (the heartbeat needs no more), so pongs compare without it;
 * - ws's `maxBufferedChunks` (1008 once 256 Ki chunks wait): we hold a trickled payload in one growing buffer
 *   instead, so no chunk count closes a connection here; the oracle runs without that option.
 * `WS_DIFF_RUNS` sets the number of runs (`npm run soak -- --wire-runs N`); `npm test` uses a fixed seed.
 */

interface WsReceiver {
  _write(chunk: Buffer, encoding: string, done: (error?: Error) => void): void;
  on(event: string, listener: (...args: never[]) => void): void;
}
const { Receiver, Sender } = ws as unknown as {
  Receiver: new (options: object) => WsReceiver;
  Sender: { frame(data: Buffer, options: { fin: boolean; mask: boolean; opcode: number; readOnly: boolean; maskBuffer?: Buffer }): Buffer[] };
};
const LIMIT = 70_000;
const RUNS = Number(process.env.WS_DIFF_RUNS ?? 1000);
const SEED = process.env.WS_DIFF_RUNS ? Date.now() : 17;

type Event = (string | number)[];
const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64');

/** What `ws`'s Receiver reports for these chunks, in the server role with our limits. */
function wsEvents(chunks: Buffer[], isServer = true): Event[] {
  const events: Event[] = [];
  const receiver = new Receiver({ isServer, maxPayload: LIMIT, maxFragments: MAX_FRAGMENTS });
  receiver.on('message', (data: Buffer, binary: boolean) => events.push(binary ? ['binary', b64(data)] : ['text', data.toString('utf8')]));
  receiver.on('ping', (data: Buffer) => events.push(['ping', b64(data)]));
  receiver.on('pong', () => events.push(['pong']));
  receiver.on('conclude', (code: number, reason: Buffer) => events.push(['close', code, reason.toString('utf8')]));
  let failed = false;
  for (const chunk of chunks) {
    // Its Writable's internals, called directly: an error comes back at once, as ours does.
    receiver._write(Buffer.from(chunk), 'buffer', (error) => {
      if (!error || failed) return;
      failed = true;
      const status = Object.getOwnPropertySymbols(error).find((symbol) => symbol.description === 'status-code');
      events.push(['fail', (error as unknown as Record<symbol, number>)[status!]!]);
    });
    if (failed) break;
  }
  return events;
}

/** What our receiver reports for the same chunks. */
function ourEvents(chunks: Buffer[]): Event[] {
  const events: Event[] = [];
  const receiver = new FrameReceiver({ maxPackageSize: LIMIT }, {
    onMessage: (data, binary) => events.push(binary ? ['binary', b64(data as Buffer)] : ['text', data as string]),
    onPing: (payload) => events.push(['ping', b64(payload)]),
    onPong: () => events.push(['pong']),
    onClose: (code, reason) => events.push(['close', code, reason]),
    onFail: (code) => events.push(['fail', code]),
  });
  for (const chunk of chunks) receiver.push(Buffer.from(chunk));
  return events;
}

// Payloads: short random bytes, text with multi-byte characters (cut anywhere when fragmented), and every length class.
const bytes = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));
const text = fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\u0000'), maxLength: 20 }).map((s) => Buffer.from(s));
const sized = fc.constantFrom(0, 1, 125, 126, 127, 65_535, 65_536).map((n) => Buffer.alloc(n, 0x61));
const payload = fc.oneof({ weight: 4, arbitrary: bytes }, { weight: 4, arbitrary: text }, { weight: 1, arbitrary: sized });
const controlPayload = fc.uint8Array({ maxLength: 125 }).map((a) => Buffer.from(a));
const closeCode = fc.oneof(fc.constantFrom(1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1014, 1015, 1016, 2999, 3000, 4999, 5000, 0, 65_535), fc.integer({ min: 0, max: 65_535 }));

/** A valid masked frame, written by ws's own Sender (so the two sides do not share our encoder's mistakes). */
function wsFrame(opcode: number, data: Buffer, fin = true): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(data), { fin, mask: true, opcode, readOnly: true, maskBuffer: Buffer.from([1, 2, 3, 4]) }));
}

const control = fc.oneof(
  controlPayload.map((p) => wsFrame(Opcode.ping, p)),
  controlPayload.map((p) => wsFrame(Opcode.pong, p)),
);

// A whole message, maybe fragmented at any byte with control frames between the pieces.
const message = fc.record({
  opcode: fc.constantFrom(Opcode.text, Opcode.binary),
  data: payload,
  cuts: fc.array(fc.nat(), { maxLength: 4 }),
  between: fc.array(fc.option(control, { nil: undefined }), { maxLength: 4 }),
}).map(({ opcode, data, cuts, between }) => {
  const pieces = cutAt(data, [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b));
  return Buffer.concat(pieces.flatMap((piece, i) => {
    const frame = wsFrame(i === 0 ? opcode : Opcode.continuation, piece, i === pieces.length - 1);
    const extra = between[i];
    return i < pieces.length - 1 && extra ? [frame, extra] : [frame];
  }));
});

const close = fc.oneof(
  fc.constant(wsFrame(Opcode.close, Buffer.alloc(0))),
  fc.tuple(closeCode, fc.oneof(text, bytes)).map(([code, reason]) => {
    const body = Buffer.alloc(2 + Math.min(reason.length, 123));
    body.writeUInt16BE(code, 0);
    reason.copy(body, 2, 0, body.length - 2);
    return wsFrame(Opcode.close, body);
  }),
  fc.constant(wsFrame(Opcode.close, Buffer.from([3]))),
);

// Frames that break the protocol or a limit, built by hand.
const shape = fc.record({
  fin: fc.boolean(), unmasked: fc.boolean(), rsv: fc.integer({ min: 0, max: 7 }),
  claimedLength: fc.option(fc.constantFrom(126, 65_536, LIMIT + 1, 2 ** 32, 2 ** 53, 2 ** 63), { nil: undefined }),
}, { requiredKeys: [] });
const broken = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.oneof(bytes, controlPayload), shape)
  .map(([opcode, data, how]) => clientFrame(opcode, data, how as FrameShape));

const stream = fc.array(fc.oneof({ weight: 6, arbitrary: message }, { weight: 3, arbitrary: control }, { weight: 1, arbitrary: close }, { weight: 2, arbitrary: broken }), { minLength: 1, maxLength: 6 });

// How the stream is cut: frame by frame, at random points, or (when small) one byte at a time.
const cutting = fc.oneof(fc.constant('frames' as const), fc.constant('bytes' as const), fc.array(fc.nat(), { maxLength: 12 }));

function chunksOf(frames: Buffer[], how: 'frames' | 'bytes' | number[]): Buffer[] {
  const all = Buffer.concat(frames);
  if (how === 'frames') return frames;
  if (how === 'bytes') return all.length <= 4096 ? byteByByte(all) : cutAt(all, Array.from({ length: 64 }, (_, i) => i * 7));
  return cutAt(all, [...new Set(how.map((c) => c % (all.length + 1)))].sort((a, b) => a - b));
}

describe('our WebSocket layer against ws', () => {
  it('reports what ws reports for any client byte stream, however it is cut', () => {
    fc.assert(fc.property(stream, cutting, (frames, how) => {
      const chunks = chunksOf(frames, how);
      expect(ourEvents(chunks)).toEqual(wsEvents(chunks));
    }), { numRuns: RUNS, seed: SEED });
  });

  it('agrees on the fragment limit: 1008 at the first fragment past it', () => {
    const empty = wsFrame(Opcode.continuation, Buffer.alloc(0), false);
    const flood = [wsFrame(Opcode.text, Buffer.from('a'), false), ...Array.from({ length: MAX_FRAGMENTS + 5 }, () => empty)];
    expect(ourEvents(flood)).toEqual([['fail', 1008]]);
    expect(wsEvents(flood)).toEqual([['fail', 1008]]);
  });

  it('writes frames that ws reads back as sent, in every length class', () => {
    const sent = fc.oneof(
      fc.tuple(fc.constantFrom(Opcode.text), fc.oneof(text, sized)).map(([op, p]) => ({ op, p, expect: ['text', p.toString('utf8')] as Event })),
      fc.tuple(fc.constantFrom(Opcode.binary), fc.oneof(bytes, sized)).map(([op, p]) => ({ op, p, expect: ['binary', b64(p)] as Event })),
      controlPayload.map((p) => ({ op: Opcode.ping, p, expect: ['ping', b64(p)] as Event })),
      controlPayload.map((p) => ({ op: Opcode.pong, p, expect: ['pong'] as Event })),
    );
    fc.assert(fc.property(sent, cutting, ({ op, p, expect: event }, how) => {
      const frame = op === Opcode.text ? encodeFrame(op, p.toString('utf8')) : encodeFrame(op, p);
      expect(wsEvents(chunksOf([frame], how), false)).toEqual([event]);
    }), { numRuns: RUNS, seed: SEED });
    const codes = fc.oneof(fc.constantFrom(1000, 1001, 1008, 1011, 3000, 4999), fc.integer({ min: 3000, max: 4999 }));
    fc.assert(fc.property(codes, fc.string({ maxLength: 130 }), (code, reason) => {
      const frame = encodeClose(code, reason);
      const kept = frame.subarray(4).toString('utf8');
      expect(reason.startsWith(kept)).toBe(true);
      expect(wsEvents([frame], false)).toEqual([['close', code, kept]]);
    }), { numRuns: RUNS, seed: SEED });
  });
});
