/** WebSocket opcodes (RFC 6455 §5.2). */
export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Bytes of a server frame header for a payload of `length` bytes (servers never mask). */
function headerLength(length: number): number {
  return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
}

/**
 * One whole unmasked frame, header and payload in ONE buffer, so a send is one write and not a writev of
 * two. A string payload is encoded straight into the frame, never into a buffer of its own first.
 */
export function encodeFrame(opcode: number, payload: string | Uint8Array): Buffer {
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  const offset = headerLength(length);
  const frame = Buffer.allocUnsafe(offset + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  if (typeof payload === 'string') frame.write(payload, offset, 'utf8');
  else frame.set(payload, offset);
  return frame;
}

/** A close frame: the code, then the reason cut to fit the 125-byte control-frame limit. */
export function encodeClose(code: number, reason = ''): Buffer {
  let text = Buffer.from(reason, 'utf8');
  // Cut on a character boundary: a close reason must stay valid UTF-8.
  if (text.length > 123) text = Buffer.from(text.subarray(0, 123).toString('utf8').replace(/\uFFFD+$/, ''), 'utf8');
  const payload = Buffer.allocUnsafe(2 + text.length);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  return encodeFrame(Opcode.close, payload);
}
