import type { PushSocket } from '../../src/index.ts';
import type { WebSocket } from 'ws';
import { webSocketOf } from '../protocols/websocket.ts';
import type { TcpConnection } from '../tcp-connection.ts';

const OPEN = 1;
const sockets = new WeakMap<TcpConnection, ConnectionSocket>();

/** An emulator WebSocket connection as the hub sees it; a reader too slow to keep up is cut off. */
export class ConnectionSocket implements PushSocket {
  readonly id: string;
  private readonly connection: TcpConnection;
  private readonly maxBufferBytes: number;
  // Found on first send: the hub may see the connection (onConnect) before its ws is recorded.
  private ws: WebSocket | undefined;

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
    // A client that has begun the close handshake gets nothing more: ws would drop the message unsent.
    const ws = (this.ws ??= webSocketOf(this.connection));
    if (this.connection.status !== 'established' || (ws !== undefined && ws.readyState !== OPEN)) return false;
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
