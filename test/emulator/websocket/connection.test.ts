import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { TcpConnection } from '../../../emulator/index.ts';
import { WebSocketTransport } from '../../../emulator/websocket/connection.ts';
import { clientFrame } from './client-frames.ts';

/** A socket that records what is done to it, and a connection that records deliveries but never closes. */
function transportAlone() {
  const socket = Object.assign(new EventEmitter(), {
    destroyed: false, written: [] as Buffer[], ended: false,
    setTimeout() {}, write(bytes: Buffer) { this.written.push(bytes); }, end() { this.ended = true; }, destroy() { this.destroyed = true; },
  });
  const delivered: unknown[] = [];
  const connection = { socket, maxPackageSize: 1 << 20, id: 1, deliver: (m: unknown) => delivered.push(m), closeWithCode() {} };
  const transport = new WebSocketTransport(connection as unknown as TcpConnection);
  return { transport, delivered, socket };
}

describe('WebSocketTransport on its own', () => {
  it('passes on no message once the peer has closed, whatever the connection above does', () => {
    const { transport, delivered } = transportAlone();
    transport.onMessage('before');
    transport.onClose(1000);
    transport.onMessage('after');
    expect(delivered).toEqual(['before']);
  });

  it('passes on no message once the peer broke the protocol', () => {
    const { transport, delivered } = transportAlone();
    transport.onFail(1002, 'test');
    transport.onMessage('after');
    expect(delivered).toEqual([]);
  });

  it('reads frames split anywhere, messages fragmented around a ping, and nothing after a Close, though it keeps no parse state between frames', async () => {
    const { transport, delivered, socket } = transportAlone();
    const stream = Buffer.concat([
      clientFrame(0x1, 'hel', { fin: false }), clientFrame(0x9, 'p'), clientFrame(0x0, 'lo'),
      clientFrame(0x1, 'x'.repeat(200)), clientFrame(0x8, Buffer.from([0x03, 0xe8])), clientFrame(0x1, 'late'),
    ]);
    for (let at = 0; at < stream.length; at++) transport.receive(stream.subarray(at, at + 1));
    expect(delivered).toEqual(['hello', 'x'.repeat(200)]);
    // The pong carries the ping's payload; frames leave at the end of the turn.
    await expect.poll(() => socket.written.some((bytes) => bytes.includes(Buffer.from([0x8a, 0x01, 0x70])))).toBe(true);
    const idle = transportAlone();
    idle.transport.receive(clientFrame(0x1, 'u1'));
    expect(idle.delivered).toEqual(['u1']);
    // Between frames an idle connection holds no receiver: its parse state is made when a frame begins.
    expect((idle.transport as unknown as { receiver: unknown }).receiver).toBeUndefined();
  });
});
