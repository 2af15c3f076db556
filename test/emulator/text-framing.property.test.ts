import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpConnection, Worker, text } from '../../emulator/index.ts';
import { framedTransport } from '../../emulator/transports/framed-transport.ts';

/** Just enough of a net.Socket for TcpConnection's framing loop: data in, close out, nothing written. */
class FakeNetSocket extends EventEmitter {
  destroyed = false;
  writableLength = 0;
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  setNoDelay(): void {}
  pause(): void {}
  resume(): void {}
  write(): boolean { return true; }
  end(): void { this.destroy(); }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}

// One worker for every run; each connection records its own lines.
const worker = new Worker('text://127.0.0.1:0');
worker.onMessage = (connection: TcpConnection, line: string) => (connection.lines as string[]).push(line);

/** Feeds `chunks` to a fresh connection with the text protocol; returns the lines it delivered and whether it closed. */
function frame(chunks: Buffer[], maxPackageSize: number): { lines: string[]; closed: boolean } {
  const socket = new FakeNetSocket();
  const connection = new TcpConnection(worker, socket as never, framedTransport(socket as never, text));
  connection.lines = [];
  connection.maxPackageSize = maxPackageSize;
  for (const chunk of chunks) if (!socket.destroyed) socket.emit('data', chunk);
  const result = { lines: connection.lines as string[], closed: socket.destroyed };
  socket.destroy();
  return result;
}

/** Cuts `bytes` at the given points (any order, repeats allowed). */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to > from) chunks.push(bytes.subarray(from, to));
    from = to;
  }
  return chunks;
}

// Bytes rich in line ends, so that inputs hold many lines, empty ones and \r\n among them.
const byte = fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x7b, 0x22), fc.integer({ min: 0, max: 255 }));
const input = fc.array(byte, { maxLength: 600 }).map((bytes) => Buffer.from(bytes));

describe('text protocol framing (property)', () => {
  it('gives the same lines for any bytes, however they are split into chunks', () => {
    fc.assert(fc.property(input, fc.array(fc.nat(), { maxLength: 40 }), (bytes, points) => {
      expect(frame(cut(bytes, points), 10 * 1024 * 1024)).toEqual(frame([bytes], 10 * 1024 * 1024));
    }), { numRuns: 1000 });
  });

  it('closes at the same point under a small line limit, however the bytes are split', () => {
    fc.assert(fc.property(input, fc.array(fc.nat(), { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (bytes, points, limit) => {
      expect(frame(cut(bytes, points), limit)).toEqual(frame([bytes], limit));
    }), { numRuns: 1000 });
  });

  it('splits whole input into exactly its \\n-terminated lines, each without its \\r\\n', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, '')), { maxLength: 20 }), fc.boolean(), (lines, crlf) => {
      const bytes = Buffer.from(lines.map((l) => `${l}${crlf ? '\r\n' : '\n'}`).join(''), 'utf8');
      expect(frame(cut(bytes, [1, 3, 7, 20, 50]), 10 * 1024 * 1024)).toEqual({ lines, closed: false });
    }), { numRuns: 500 });
  });
});
