import type { Protocol } from './types.ts';

const HEADER = 4;

/** `frame://`: a 4-byte big-endian length that counts itself, then the payload (Workerman's Frame). */
export const frame: Protocol = {
  input(buffer) {
    if (buffer.length < HEADER) return 0;
    const total = buffer.readUInt32BE(0);
    // A length smaller than its own header can never be satisfied: the stream is broken.
    return total < HEADER ? -1 : total;
  },
  decode(packet) {
    return packet.subarray(HEADER).toString('utf8');
  },
  encode(data) {
    const payload = Buffer.isBuffer(data) ? data : Buffer.from(String(data), 'utf8');
    const header = Buffer.alloc(HEADER);
    header.writeUInt32BE(HEADER + payload.length, 0);
    return Buffer.concat([header, payload]);
  },
};
