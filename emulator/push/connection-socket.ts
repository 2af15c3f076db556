import type { PushSocket } from '../../src/index.ts';
import { sendingAlone } from '../end-of-turn.ts';
import type { TcpConnection } from '../tcp-connection.ts';

const HUB_SOCKET = Symbol('pushport.hubSocket');

/**
 * An emulator WebSocket connection as the hub sees it. The connection's one send-buffer limit
 * (`maxSendBufferSize`) decides when a reader is too slow: a push it cannot take now cuts it off, and that
 * push is not counted as delivered.
 */
export class ConnectionSocket implements PushSocket {
  readonly id: string;
  /** The client asked for pushport.v1 (set once, at the handshake). */
  v1 = false;
  /** The highest seq of a stored push sent to this client. */
  lastSeq = 0;
  private readonly connection: TcpConnection;

  private constructor(connection: TcpConnection) {
    this.connection = connection;
    this.id = String(connection.id);
  }

  /** The one hub socket of a connection, kept on the connection itself. */
  static of(connection: TcpConnection): ConnectionSocket {
    return (connection[HUB_SOCKET] as ConnectionSocket | undefined) ?? (connection[HUB_SOCKET] = new ConnectionSocket(connection));
  }

  send(message: string): boolean {
    if (this.connection.status !== 'established') return false;
    if (this.connection.send(message)) return true;
    // Memory stays bounded: a client whose send buffer is full is dropped rather than buffered without end.
    this.connection.destroy();
    return false;
  }

  /** A broadcast's frame: written at once when this socket holds nothing this turn (see sendingAlone). */
  sendNow(message: string): boolean {
    return sendingAlone(this, message);
  }

  close(code: number, reason: string): void {
    this.connection.closeWithCode(code, reason);
  }
}
