import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TcpConnection } from '../../../emulator/index.ts';
import { WebSocketTransport } from '../../../emulator/websocket/connection.ts';

/** A socket that records what is done to it, and a connection that records deliveries but never closes. */
function transportAlone() {
  const socket = Object.assign(new EventEmitter(), {
    destroyed: false, written: [] as Buffer[], ended: false,
    setTimeout() {}, write(bytes: Buffer) { this.written.push(bytes); }, end() { this.ended = true; }, destroy() { this.destroyed = true; },
  });
  const delivered: unknown[] = [];
  const connection = { maxPackageSize: 1 << 20, id: 1, deliver: (m: unknown) => delivered.push(m), closeWithCode() {} };
  const transport = new WebSocketTransport(socket as unknown as Socket, connection as unknown as TcpConnection, { watch() {}, forget() {} });
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
});
