/** The WebSocket subprotocol a client asks for to get `<seq> <message>` frames and resume with `since`. */
export const V1_PROTOCOL = 'pushport.v1';

/** One push as a v1 frame carries it: its per-uid seq (0: not stored) and the exact message. */
export interface V1Frame {
  seq: number;
  message: string;
}

const seqPrefix = /^(0|[1-9]\d{0,15}) /;

/** A stored push as a v1 client receives it: `<seq> <message>`. */
export function formatV1Frame(seq: number, message: string): string {
  return `${seq} ${message}`;
}

/** Whether a client's `Sec-WebSocket-Protocol` header (comma-separated) offers pushport.v1. */
export function offersV1(header: string | null | undefined): boolean {
  return typeof header === 'string' && header.split(',').some((offered) => offered.trim() === V1_PROTOCOL);
}

/** Splits a v1 frame into seq and message; undefined when the text has no seq prefix. */
export function parseV1Frame(text: string): V1Frame | undefined {
  const match = seqPrefix.exec(text);
  if (!match) return undefined;
  // Sixteen digits at most keeps the seq an exact integer.
  return { seq: Number(match[1]), message: text.slice(match[0].length) };
}
