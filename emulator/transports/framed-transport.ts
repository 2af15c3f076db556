import type { Socket } from 'node:net';
import { safeCall } from '../callbacks.ts';
import { describeError, log } from '../log.ts';
import type { Protocol } from '../protocols/types.ts';
import type { TcpConnection, Transport } from '../tcp-connection.ts';
import { PacketReader } from './packet-reader.ts';

// How long a connection whose input was rejected may take to close by itself.
const BAD_PACKET_CLOSE_MS = 10_000;

/** Workerman's model: a protocol cuts the byte stream into packets (the reader) and encodes replies (the writer). */
export function framedTransport(socket: Socket, protocol: Protocol | null): (connection: TcpConnection) => Transport {
  return (connection) => {
    let rejected = false;
    const reader = new PacketReader(connection, protocol, (reason) => {
      log(`closing connection ${connection.id} from ${connection.getRemoteIp()}:${connection.getRemotePort()}: ${reason}`);
      rejected = true;
      const explain = connection.worker.onBadPacket;
      if (!explain) return void socket.destroy();
      // The worker says why and closes the connection itself. Input keeps being read (and dropped) meanwhile:
      // closing with unread input would reset the connection, which can lose that last answer on its way.
      setTimeout(() => socket.destroy(), BAD_PACKET_CLOSE_MS).unref();
      safeCall('onBadPacket', explain, connection, reason);
    });
    return {
      receive(chunk) {
        if (!rejected) reader.push(chunk);
      },
      encode(data, raw) {
        if (raw || !protocol) return toBytes(data);
        try {
          return toBytes(protocol.encode(data, connection));
        } catch (error) {
          log(`protocol encode() threw, message dropped: ${describeError(error)}`);
          return null;
        }
      },
      write: (bytes) => void socket.write(bytes),
      close: () => void socket.end(),
      pause() {
        socket.pause();
        reader.paused = true;
      },
      resume() {
        reader.paused = false;
        socket.resume();
        reader.drain();
      },
    };
  };
}

// Bytes of a message: Buffers as they are, anything else as UTF-8 text.
function toBytes(data: unknown): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : String(data), 'utf8');
}
