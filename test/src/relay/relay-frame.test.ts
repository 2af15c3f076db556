import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCounts, decodeUidList, encodeFrames, encodeUidList, frame, FrameReader, FrameType, messageText, type RelayFrame } from '../../../src/index.ts';

// Any JavaScript string as a uid: arbitrary UTF-16 code units, lone surrogates included (JSON can make them).
const anyUid = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
// Messages are text a socket sends: any code point, newlines and quotes included, or nothing at all.
const anyMessage = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', '\n', '\r\n', '{"uid":"a"}\n'));
const anyFrame = fc.record({
  type: fc.constantFrom(...Object.values(FrameType)),
  id: fc.nat({ max: 0xffffffff }),
  value: fc.nat({ max: 0xffffffff }),
  uid: anyUid,
  message: anyMessage,
});

const plain = (frames: RelayFrame[]) => frames.map((f) => ({ ...f, message: messageText(f.message) }));

/** Reads a byte stream cut at the given points, as a socket may deliver it. */
function readSplit(bytes: Uint8Array, cuts: number[]): RelayFrame[] {
  const reader = new FrameReader();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const frames: RelayFrame[] = [];
  let from = 0;
  for (const at of [...points, bytes.length]) {
    frames.push(...reader.read(bytes.slice(from, at)));
    from = at;
  }
  return frames;
}

describe('relay frame encoding', () => {
  it('gives back the exact uid and message of every frame', () => {
    fc.assert(fc.property(fc.array(anyFrame, { maxLength: 8 }), (frames) => {
      expect(plain(new FrameReader().read(encodeFrames(frames)))).toEqual(frames);
    }));
  });

  it('reads a uid longer than one String.fromCharCode call takes, lone surrogates included, split anywhere', () => {
    const uid = Array.from({ length: 10_001 }, (_, i) => String.fromCharCode(i % 7 === 0 ? 0xd800 : 0x41 + (i % 50))).join('');
    const frames = [frame(FrameType.here, 0, 0, uid), frame(FrameType.answer, 7, 1), frame(FrameType.deliver, 8, 0, 'b', 'm')];
    const bytes = encodeFrames(frames);
    expect(plain(readSplit(bytes, [3, 11, 20_000, bytes.length - 2]))).toEqual(plain(frames));
  });

  it('gives the same frames however the byte stream is split', () => {
    fc.assert(fc.property(fc.array(anyFrame, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
      const bytes = encodeFrames(frames);
      expect(plain(readSplit(bytes, cuts))).toEqual(plain(new FrameReader().read(bytes)));
      expect(plain(readSplit(bytes, cuts))).toEqual(frames);
    }));
  });

  it('forwards a message received as bytes without changing it', () => {
    fc.assert(fc.property(anyFrame, (f) => {
      const [received] = new FrameReader().read(encodeFrames([f]));
      const [forwarded] = new FrameReader().read(encodeFrames([received!]));
      expect(messageText(forwarded!.message)).toBe(f.message);
      expect(forwarded!.uid).toBe(f.uid);
    }));
  });

  it('keeps a message that starts with a byte order mark as it was pushed', () => {
    const [received] = new FrameReader().read(encodeFrames([frame(FrameType.deliver, 1, 0, 'u', '\ufeff{"a":1}')]));
    expect(messageText(received!.message)).toBe('\ufeff{"a":1}');
  });

  it('refuses a stream whose lengths are corrupt', () => {
    const bytes = encodeFrames([{ type: FrameType.deliver, id: 1, value: 0, uid: 'u', message: 'm' }]);
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(9, 0xfffffff0, true);
    expect(() => new FrameReader().read(bytes)).toThrow(/corrupt/);
  });

  it('carries a list of any uids through an onlineMany frame, and its counts back', () => {
    fc.assert(fc.property(fc.array(anyUid, { maxLength: 20 }), fc.array(fc.nat({ max: 1e6 }), { maxLength: 20 }), (uids, counts) => {
      const [asked] = new FrameReader().read(encodeFrames([{ type: FrameType.onlineMany, id: 7, value: 0, uid: '', message: encodeUidList(uids) }]));
      expect(decodeUidList(asked!.message)).toEqual(uids);
      const [answer] = new FrameReader().read(encodeFrames([{ type: FrameType.answer, id: 7, value: 0, uid: '', message: JSON.stringify(counts) }]));
      expect(decodeCounts(answer!.message, counts.length)).toEqual(counts);
    }));
  });

  it('reads a malformed list as empty and malformed counts as zeros', () => {
    expect(decodeUidList('not json')).toEqual([]);
    expect(decodeUidList('{"a":1}')).toEqual([]);
    expect(decodeCounts('[1,"x",-2]', 4)).toEqual([1, 0, 0, 0]);
    expect(decodeCounts(undefined, 2)).toEqual([0, 0]);
  });
});
