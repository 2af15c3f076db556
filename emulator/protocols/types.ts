import type { TcpConnection } from '../tcp-connection.ts';

/** Workerman's protocol interface: where the next packet ends, how to decode it, how to encode a reply. */
export interface Protocol {
  /** Length of the first packet in `buffer` (header included): 0 = wait for more bytes, negative = broken, close. */
  input(buffer: Buffer, connection: TcpConnection): number;
  /** Turns one whole packet (exactly the bytes `input` measured) into the value onMessage receives. */
  decode(packet: Buffer, connection: TcpConnection): unknown;
  /** Turns what the user passes to `send()` into bytes for the wire. */
  encode(data: unknown, connection: TcpConnection): string | Buffer;
}
