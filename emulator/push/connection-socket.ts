import type { PushSocket } from '../../src/index.ts';
import type { TcpConnection } from '../tcp-connection.ts';

const sockets = new WeakMap<TcpConnection, ConnectionSocket>();

/** An emulator WebSocket connection as the hub sees it; a reader too slow to keep up is cut off. */
export class ConnectionSocket implements PushSocket {
  readonly id: string;
  private readonly connection: TcpConnection;
  private readonly maxBufferBytes: number;

  private constructor(connection: TcpConnection, maxBufferBytes: number) {
    this.connection = connection;
    this.id = String(connection.id);
    this.maxBufferBytes = maxBufferBytes;
  }

  /** The one hub socket of a connection. */
  static of(connection: TcpConnection, maxBufferBytes: number): ConnectionSocket {
    let socket = sockets.get(connection);
    if (!socket) sockets.set(connection, (socket = new ConnectionSocket(connection, maxBufferBytes)));
    return socket;
  }

  send(message: string): boolean {
    if (this.connection.status !== 'established') return false;
    // Memory stays bounded: a client that cannot take this message now is dropped, and the push is not counted.
    if (this.connection.getSendBufferQueueSize() + Buffer.byteLength(message) > this.maxBufferBytes) {
      this.connection.destroy();
      return false;
    }
    return this.connection.send(message);
  }

  close(code: number, reason: string): void {
    this.connection.closeWithCode(code, reason);
  }
}
