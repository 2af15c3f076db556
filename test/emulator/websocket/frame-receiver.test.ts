import { describe, expect, it } from 'vitest';
import { encodeClose, encodeFrame, Opcode } from '../../../emulator/websocket/frame-writer.ts';
import { MAX_FRAGMENTS } from '../../../emulator/websocket/frame-receiver.ts';
import { byteByByte, clientFrame, cutAt, feed, seededCuts, type Event } from './client-frames.ts';

/**
 * What the receiver reports for `bytes`, the same whether they come in one chunk, one byte at a time, or cut at
 * seeded points: every parser test here runs all three ways.
 */
function receive(chunks: Buffer[], maxPackageSize = 1 << 20): Event[] {
  const bytes = Buffer.concat(chunks);
  const whole = feed([bytes], maxPackageSize);
  expect(feed(byteByByte(bytes), maxPackageSize)).toEqual(whole);
  for (const seed of [1, 2, 3]) expect(feed(cutAt(bytes, seededCuts(bytes.length, seed)), maxPackageSize)).toEqual(whole);
  return whole;
}

const stream = Buffer.concat([
  clientFrame(Opcode.text, 'uid-1'),
  clientFrame(Opcode.text, 'héllo ', { fin: false }),
  clientFrame(Opcode.ping, 'p'),
  clientFrame(Opcode.continuation, 'wörld'),
  clientFrame(Opcode.binary, Buffer.from([1, 2, 3])),
  clientFrame(Opcode.text, 'x'.repeat(300)),
  clientFrame(Opcode.text, 'y'.repeat(70_000)),
  clientFrame(Opcode.pong, ''),
  clientFrame(Opcode.close, encodeClose(1000, 'bye').subarray(2)),
]);
const expected = [
  ['text', 'uid-1'], ['ping', 'p'], ['text', 'héllo wörld'], ['binary', [1, 2, 3]], ['text', 'x'.repeat(300)],
  ['text', 'y'.repeat(70_000)], ['pong'], ['close', 1000, 'bye'],
];

describe('FrameReceiver', () => {
  it('reads a stream of frames in one chunk: fragments, control frames between them, 16- and 64-bit lengths', () => {
    expect(receive([stream])).toEqual(expected);
  });

  it('reads the same frames whatever the chunks are cut at', () => {
    // Every split point in the small frames, and a spread of points through the large one: bounded, 2 chunks each.
    const points = [...Array.from({ length: 80 }, (_, i) => i), ...Array.from({ length: 40 }, (_, i) => 80 + i * 1777)];
    for (const at of points.filter((p) => p < stream.length)) {
      expect(feed([stream.subarray(0, at), stream.subarray(at)])).toEqual(expected);
    }
  });

  it('delivers a frame whose first chunk is one byte', () => {
    // A 7-byte uid is a 13-byte frame: it used to wait for 14 bytes that never came.
    const uid = clientFrame(Opcode.text, 'user-42');
    expect(feed([uid.subarray(0, 1), uid.subarray(1)])).toEqual([['text', 'user-42']]);
    const ping = clientFrame(Opcode.ping, '');
    expect(feed([ping.subarray(0, 1), ping.subarray(1)])).toEqual([['ping', '']]);
    const close = clientFrame(Opcode.close, encodeClose(1000, '').subarray(2));
    expect(feed([close.subarray(0, 1), close.subarray(1)])).toEqual([['close', 1000, '']]);
  });

  it('fails a stream that breaks the protocol, with the close code the RFC gives', () => {
    const unmasked = encodeFrame(Opcode.text, 'hi');
    expect(receive([unmasked])).toEqual([['fail', 1002, 'client frames must be masked']]);
    expect(receive([clientFrame(Opcode.text, Buffer.from([0xff, 0xfe]))])).toEqual([['fail', 1007, 'text message is not valid UTF-8']]);
    expect(receive([clientFrame(Opcode.text, 'z'.repeat(11))], 10)).toEqual([['fail', 1009, 'message larger than 10 bytes']]);
    expect(receive([clientFrame(Opcode.continuation, 'a')])).toEqual([['fail', 1002, 'continuation without a message']]);
    expect(receive([clientFrame(Opcode.ping, 'a', { fin: false })])).toEqual([['fail', 1002, 'bad control frame']]);
    expect(receive([clientFrame(0x3, 'a')])).toEqual([['fail', 1002, 'unknown opcode 3']]);
    const rsv = clientFrame(Opcode.text, 'a');
    rsv[0]! |= 0x40;
    expect(receive([rsv])).toEqual([['fail', 1002, 'reserved bits set without an extension']]);
    // Nothing after a failure is read.
    expect(receive([Buffer.concat([unmasked, clientFrame(Opcode.text, 'after')])])).toHaveLength(1);
  });

  it('refuses a declared length past the limit before the payload arrives', () => {
    const huge = clientFrame(Opcode.binary, Buffer.alloc(70_000)).subarray(0, 20);
    expect(receive([huge], 65_536)).toEqual([['fail', 1009, 'message larger than 65536 bytes']]);
  });

  it('reads close frames: no code is 1005, a bad code or a one-byte body fails', () => {
    expect(receive([clientFrame(Opcode.close, '')])).toEqual([['close', 1005, '']]);
    expect(receive([clientFrame(Opcode.close, Buffer.from([3]))])).toEqual([['fail', 1002, 'bad close frame']]);
    expect(receive([clientFrame(Opcode.close, Buffer.from([0x03, 0xe8 + 6]))])).toEqual([['fail', 1002, 'bad close frame']]);
  });

  it('reads nothing after a Close, with or without a code', () => {
    const after = Buffer.concat([clientFrame(Opcode.text, 'late'), clientFrame(Opcode.ping, 'p'), Buffer.from([0xff])]);
    expect(receive([clientFrame(Opcode.close, ''), after])).toEqual([['close', 1005, '']]);
    expect(receive([clientFrame(Opcode.close, encodeClose(4000, 'bye').subarray(2)), after])).toEqual([['close', 4000, 'bye']]);
  });

  it('closes with 1008 a message cut into more fragments than the limit, at the first one past it', () => {
    const empty = clientFrame(Opcode.continuation, '', { fin: false });
    const opening = clientFrame(Opcode.text, 'a', { fin: false });
    const flood = Buffer.concat([opening, ...Array.from({ length: MAX_FRAGMENTS + 100 }, () => empty)]);
    expect(receive([flood])).toEqual([['fail', 1008, `message in more than ${MAX_FRAGMENTS} fragments`]]);
    // A message of exactly the limit is whole.
    const fits = Buffer.concat([opening, ...Array.from({ length: MAX_FRAGMENTS - 2 }, () => empty), clientFrame(Opcode.continuation, 'b')]);
    expect(receive([fits])).toEqual([['text', 'ab']]);
  });
});

describe('frame writer', () => {
  it('writes header and payload as one buffer, with the right length form', () => {
    for (const size of [0, 125, 126, 65_535, 65_536]) {
      const frame = encodeFrame(Opcode.text, 'a'.repeat(size));
      const header = size < 126 ? 2 : size < 65_536 ? 4 : 10;
      expect(frame.length).toBe(header + size);
      expect(frame[0]).toBe(0x81);
    }
    expect([...encodeFrame(Opcode.text, 'é')]).toEqual([0x81, 2, 0xc3, 0xa9]);
  });

  it('cuts a long close reason on a character boundary, within the 125-byte limit', () => {
    const frame = encodeClose(1008, 'é'.repeat(100));
    expect(frame.length - 2).toBeLessThanOrEqual(125);
    expect(frame.subarray(4).toString('utf8')).toBe('é'.repeat(61));
  });
});
