import { describe, expect, it } from 'vitest';
import { frame } from '../../emulator/protocols/frame.ts';
import { getProtocol, registerProtocol } from '../../emulator/protocols/registry.ts';
import { text } from '../../emulator/protocols/text.ts';
import type { TcpConnection } from '../../emulator/tcp-connection.ts';

// The protocol functions never look at the connection; a stand-in is enough.
const connection = {} as TcpConnection;

describe('text protocol', () => {
  it('waits for a newline, then measures the line including it', () => {
    expect(text.input(Buffer.from('abc'), connection)).toBe(0);
    expect(text.input(Buffer.from('abc\ndef'), connection)).toBe(4);
  });

  it('decodes without the newline, and accepts \\r\\n', () => {
    expect(text.decode(Buffer.from('hello\n'), connection)).toBe('hello');
    expect(text.decode(Buffer.from('hello\r\n'), connection)).toBe('hello');
    expect(text.decode(Buffer.from('héllo\n'), connection)).toBe('héllo');
  });

  it('encodes with a newline', () => {
    expect(text.encode('ok', connection)).toBe('ok\n');
  });
});

describe('frame protocol', () => {
  it('reads the 4-byte big-endian total length (header included)', () => {
    const packet = Buffer.from(frame.encode('hi', connection));
    expect(packet.readUInt32BE(0)).toBe(6);
    expect(frame.input(packet.subarray(0, 3), connection)).toBe(0);
    expect(frame.input(packet, connection)).toBe(6);
    expect(frame.decode(packet, connection)).toBe('hi');
  });

  it('calls a length shorter than its header broken', () => {
    expect(frame.input(Buffer.from([0, 0, 0, 2, 9]), connection)).toBe(-1);
  });
});

describe('protocol registry', () => {
  it('finds built-in and registered protocols by name', () => {
    expect(getProtocol('text')).toBe(text);
    const mine = { input: () => 1, decode: () => 'x', encode: () => 'y' };
    registerProtocol('Mine', mine);
    expect(getProtocol('mine')).toBe(mine);
  });

  it('explains how to register an unknown protocol', () => {
    expect(() => getProtocol('nope')).toThrow(/registerProtocol\('nope'/);
  });

  it('refuses incomplete protocols and built-in scheme names', () => {
    expect(() => registerProtocol('half', { input: () => 0 } as never)).toThrow(/decode/);
    expect(() => registerProtocol('websocket', text)).toThrow(/built in/);
  });
});
