import type { Protocol } from './types.ts';

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * `text://`: one message per line; `\n` ends a line, a `\r` before it is dropped; replies get `\n` appended.
 * A line longer than the connection's maxPackageSize (terminator not counted, for `\n` and `\r\n` alike) closes it.
 */
export const text: Protocol = {
  input(buffer, connection) {
    const end = buffer.indexOf(NEWLINE);
    if (end === -1) return 0;
    const size = end > 0 && buffer[end - 1] === CR ? end - 1 : end;
    return size > connection.maxPackageSize ? -1 : end + 1;
  },
  decode(packet) {
    // Like Workerman's rtrim($buffer, "\r\n"), without a regular expression per line.
    let end = packet.length;
    while (end > 0 && (packet[end - 1] === NEWLINE || packet[end - 1] === CR)) end--;
    return packet.toString('utf8', 0, end);
  },
  encode(data) {
    return `${String(data)}\n`;
  },
};
