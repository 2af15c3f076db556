import { describe, expect, it } from 'vitest';
import { FrameReceiver } from '../../../emulator/websocket/frame-receiver.ts';
import { encodeClose, encodeFrame, Opcode } from '../../../emulator/websocket/frame-writer.ts';

/** A client frame as browsers send it: masked with a random key. */
function clientFrame(opcode: number, payload: string | Buffer, fin = true): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const server = encodeFrame(opcode, body);
  const headerLength = server.length - body.length;
  const mask = Buffer.from([0x12, 0x9a, 0x00, 0xff]);
  const frame = Buffer.concat([server.subarray(0, headerLength), mask, Buffer.alloc(body.length)]);
  frame[0] = (fin ? 0x80 : 0) | opcode;
  frame[1]! |= 0x80;
  for (let i = 0; i < body.length; i++) frame[headerLength + 4 + i] = body[i]! ^ mask[i & 3]!;
  return frame;
}

function receive(chunks: Buffer[], maxPackageSize = 1 << 20) {
  const events: unknown[] = [];
  const receiver = new FrameReceiver({ maxPackageSize }, {
    onMessage: (data, binary) => events.push(binary ? ['binary', [...(data as Buffer)]] : ['text', data]),
    onPing: (payload) => events.push(['ping', payload.toString()]),
    onPong: () => events.push(['pong']),
    onClose: (code, reason) => events.push(['close', code, reason]),
    onFail: (code, reason) => events.push(['fail', code, reason]),
  });
  // Copies: the receiver unmasks in place, as it may with the chunks a socket hands it.
  for (const chunk of chunks) receiver.push(Buffer.from(chunk));
  return events;
}

const stream = Buffer.concat([
  clientFrame(Opcode.text, 'uid-1'),
  clientFrame(Opcode.text, 'héllo ', false),
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
      expect(receive([stream.subarray(0, at), stream.subarray(at)])).toEqual(expected);
    }
    // And byte by byte through the first frames.
    const head = stream.subarray(0, 60);
    const bytes = Array.from({ length: head.length }, (_, i) => head.subarray(i, i + 1));
    expect(receive([...bytes, stream.subarray(60)])).toEqual(expected);
  });

  it('fails a stream that breaks the protocol, with the close code the RFC gives', () => {
    const unmasked = encodeFrame(Opcode.text, 'hi');
    expect(receive([unmasked])).toEqual([['fail', 1002, 'client frames must be masked']]);
    expect(receive([clientFrame(Opcode.text, Buffer.from([0xff, 0xfe]))])).toEqual([['fail', 1007, 'text message is not valid UTF-8']]);
    expect(receive([clientFrame(Opcode.text, 'z'.repeat(11))], 10)).toEqual([['fail', 1009, 'message larger than 10 bytes']]);
    expect(receive([clientFrame(Opcode.continuation, 'a')])).toEqual([['fail', 1002, 'continuation without a message']]);
    expect(receive([clientFrame(Opcode.ping, 'a', false)])).toEqual([['fail', 1002, 'bad control frame']]);
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
