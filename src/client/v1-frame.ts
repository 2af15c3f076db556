/** The WebSocket subprotocol a client asks for to get `<seq> <message>` frames and resume with `since`. */
export const V1_PROTOCOL = 'pushport.v1';

/** One push as a v1 frame carries it: its per-uid seq (0: not stored) and the exact message. */
export interface V1Frame {
  seq: number;
  message: string;
}

const seqPrefix = /^(0|[1-9]\d{0,15}) /;

/** Splits a v1 frame into seq and message; undefined when the text has no seq prefix. */
export function parseV1Frame(text: string): V1Frame | undefined {
  const match = seqPrefix.exec(text);
  if (!match) return undefined;
  // Sixteen digits at most keeps the seq an exact integer.
  return { seq: Number(match[1]), message: text.slice(match[0].length) };
}
