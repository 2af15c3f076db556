import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionSocket } from '../../../emulator/push/connection-socket.ts';
import type { TcpConnection } from '../../../emulator/index.ts';
import { serve, stopServed } from '../helpers/in-process.ts';

afterEach(stopServed);

// A client frame: FIN, the opcode, masked with a zero key (a client must mask; zero keeps the bytes readable).
const frame = (opcode: number, payload: Buffer) => Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length, 0, 0, 0, 0]), payload]);

describe('ConnectionSocket', () => {
  it('reports a client that has started the close handshake as not reached, never as a false delivery', async () => {
    let server: TcpConnection | undefined;
    const port = serve('websocket', (worker) => {
      worker.onConnect = (connection) => (server = connection);
    });
    const client = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const sendsAfterClose: boolean[] = [];
    const closeReply = Buffer.from([0x88, 0x02, 0x03, 0xe8]);
    client.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // The server has answered our close frame; its TCP connection is not closed yet, and may not look closed.
      if (sendsAfterClose.length === 0 && received.includes(closeReply)) sendsAfterClose.push(ConnectionSocket.of(server!).send('too late'));
    });
    client.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`);
    await expect.poll(() => server !== undefined && received.includes('\r\n\r\n')).toBe(true);
    expect(ConnectionSocket.of(server!).send('in time')).toBe(true);
    client.write(frame(0x8, Buffer.from([0x03, 0xe8])));
    await expect.poll(() => sendsAfterClose).toEqual([false]);
    client.destroy();
  });
});
