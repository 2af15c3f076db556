import type { Protocol } from './types.ts';

const NEWLINE = 0x0a;

/** `text://`: one message per line; `\n` ends a line, a `\r` before it is dropped; replies get `\n` appended. */
export const text: Protocol = {
  input(buffer) {
    // The framing loop enforces maxPackageSize while we wait, so a missing newline just means "more bytes".
    const end = buffer.indexOf(NEWLINE);
    return end === -1 ? 0 : end + 1;
  },
  decode(packet) {
    // Like Workerman's rtrim($buffer, "\r\n").
    return packet.toString('utf8').replace(/[\r\n]+$/, '');
  },
  encode(data) {
    return `${String(data)}\n`;
  },
};
