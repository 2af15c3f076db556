import { describe, expect, it } from 'vitest';
import type { Writable } from 'node:stream';
import * as wsLibrary from 'ws';

// ws exports its Sender and Receiver at run time, but its type package does not declare them.
const { Sender, Receiver } = wsLibrary as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  Receiver: new (options: Record<string, unknown>) => Writable;
};
import { FrameParser, maskedFrame } from '../../bench/ws-frame-parser.ts';

// ws's own server-side framing: [header, payload] buffers, exactly what a ws server writes.
function serverFrame(data: Buffer, opcode: number, fin = true): Buffer {
  return Buffer.concat(Sender.frame(data, { fin, opcode, mask: false, readOnly: false, rsv1: false }));
}

function collect() {
  const messages: string[] = [];
  const controls: Array<[number, string]> = [];
  const parser = new FrameParser({
    onMessage: (payload) => messages.push(payload.toString()),
    onControl: (opcode, payload) => controls.push([opcode, payload.toString()]),
  });
  return { parser, messages, controls };
}

describe('the bench load client frame parser', () => {
  const sizes = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];

  it('reads ws frames of every length class (7, 16 and 64-bit) in one chunk', () => {
    const { parser, messages } = collect();
    const texts = sizes.map((n) => 'x'.repeat(n));
    parser.push(Buffer.concat(texts.map((t) => serverFrame(Buffer.from(t), 1))));
    expect(messages.map((m) => m.length)).toEqual(sizes);
    expect(parser.error).toBeUndefined();
  });

  it('reads the same frames fed one byte at a time and in uneven pieces', () => {
    // Byte by byte only over the short frames: each split re-gathers the tail, which is quadratic in its length.
    for (const [step, count] of [[1, 4], [7, 6], [1000, 8]] as const) {
      const stream = Buffer.concat(sizes.slice(0, count).map((n) => serverFrame(Buffer.from(`${n}:${'y'.repeat(n)}`), 1)));
      const { parser, messages } = collect();
      for (let at = 0; at < stream.length; at += step) parser.push(stream.subarray(at, at + step));
      expect(messages.map((m) => m.split(':')[0])).toEqual(sizes.slice(0, count).map(String));
    }
  });

  it('joins fragmented messages and hands out control frames between them', () => {
    const { parser, messages, controls } = collect();
    parser.push(Buffer.concat([
      serverFrame(Buffer.from('hel'), 1, false), serverFrame(Buffer.from('hi'), 9),
      serverFrame(Buffer.from('lo'), 0, true),
    ]));
    expect(messages).toEqual(['hello']);
    expect(controls).toEqual([[9, 'hi']]);
  });

  it('cuts the seq off pushport.v1 messages, and passes a message without one whole', () => {
    const got: Array<[number, string]> = [];
    const parser = new FrameParser({ onMessage: (payload, _binary, seq) => got.push([seq, payload.toString()]), onControl: () => {} }, true);
    parser.push(Buffer.concat(['7 {"a":1}', '123456789012 x y', '0 raced', 'no seq', ' 5', '12'].map((t) => serverFrame(Buffer.from(t), 1))));
    expect(got).toEqual([[7, '{"a":1}'], [123456789012, 'x y'], [0, 'raced'], [-1, 'no seq'], [-1, ' 5'], [-1, '12']]);
  });

  it('refuses a masked frame from the server', () => {
    const { parser, messages } = collect();
    parser.push(maskedFrame(1, Buffer.from('nope')));
    expect(parser.error).toMatch(/masked/);
    expect(messages).toEqual([]);
  });

  it('writes masked client frames that ws reads as a server', async () => {
    const receiver = new Receiver({ isServer: true, maxPayload: 1 << 20 });
    const got: string[] = [];
    receiver.on('message', (data: Buffer) => got.push(data.toString()));
    const texts = ['u1', 'z'.repeat(126), 'w'.repeat(70_000)];
    await new Promise<void>((resolve, reject) => {
      receiver.on('error', reject);
      receiver.write(Buffer.concat(texts.map((t) => maskedFrame(1, Buffer.from(t)))), () => resolve());
    });
    expect(got).toEqual(texts);
  });
});
