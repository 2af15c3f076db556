import { QUEUED, refusal, type PushAnswer } from '../hub/push-answer.ts';

/** What a relay frame asks or tells; every frame has the same layout, unused fields are empty. */
export const FrameType = {
  /**
   * First frame on a connection: `value` is the sender's process index, `id` which process holds that index now
   * (a successor in the same slot, after a reload, has another).
   */
  hello: 1,
  /** `uid` has at least one identified socket in the sender (to every peer, for its directory). */
  here: 2,
  /** The sender's last socket of `uid` closed (to every peer). */
  left: 3,
  /** The sender has announced every uid it holds: the receiver's directory is complete for it. */
  synced: 4,
  /** Deliver to your own sockets of `uid` and answer the count. */
  deliver: 6,
  /** Deliver to all your identified sockets and answer the count. */
  broadcast: 7,
  /** Answer how many sockets of `uid` you hold. */
  online: 8,
  /** Close your sockets of `uid` (`message` is the reason) and answer how many. */
  kick: 9,
  /** Answer your share of the stats (as JSON in `message`). */
  stats: 10,
  /** The answer to request `id`: a count in `value`, or JSON in `message` (a stats share, a list of counts). */
  answer: 11,
  /** Answer how many sockets you hold of each uid listed in `message` (see encodeUidList), in list order. */
  onlineMany: 12,
  /**
   * A stored push for the receiver to store and route as `uid`'s home; `value` is its ttl (0: none), and
   * `message` its id and text (see stored-relay.ts). Answered with the push's answer (see answerFrame).
   */
  durable: 13,
  /** Deliver a stored push to your sockets of `uid`; `value` is its seq. Answer the count. */
  deliverSeq: 14,
  /** Store every push to `uid` until `value` (seconds since the epoch): a pushport.v1 client of it is here. */
  mark: 15,
  /** The sender has a member of group `uid` online (groups: the peers' directory of groups, as `here` is of uids). */
  groupHere: 16,
  /** The sender's last online member of group `uid` went (or left the group). */
  groupLeft: 17,
  /**
   * The uids listed in `message` (see encodeUidList) joined (`value` 1) or left (`value` 0) group `uid`: a
   * process that holds one updates its index, then answers 0, so the change is everywhere before it is answered.
   */
  groupMember: 18,
  /** Group `uid` was deleted; answered 0 once the receiver's index has forgotten it. */
  groupRemoved: 19,
  /**
   * Deliver a group push to your members of the group: `uid` is the group's name followed by the uids left out
   * (`except`, and the members the push is stored for) as a list (see encodeUidList), `value` the name's length + 1
   * when there are any (0: none), `message` the push. Answer the count.
   */
  groupDeliver: 20,
  /** Answer `[connections, [uids]]` as JSON: your online members of group `uid` and their connections. */
  groupOnline: 21,
} as const;

/** One frame's type. */
export type FrameKind = (typeof FrameType)[keyof typeof FrameType];

/** One relay frame. The message travels as UTF-8 bytes, so a process forwards what it received as-is. */
export interface RelayFrame {
  type: FrameKind;
  /** Request id (0 for frames that get no answer). */
  id: number;
  /** A small number whose meaning depends on the type (a count, a flag, a process index). */
  value: number;
  uid: string;
  message: string | Uint8Array;
}

/** Fixed bytes per frame: type (1), id (4), value (4), uid length (4), message length (4). */
export const FRAME_HEADER_BYTES = 17;

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF: a message starting with one is still delivered exactly as pushed.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** A frame with only a type and id/value, for the many frames that carry no text. */
export function frame(type: FrameKind, id = 0, value = 0, uid = '', message: string | Uint8Array = ''): RelayFrame {
  return { type, id, value, uid, message };
}

/** A frame's message as text (decoded once, where a socket needs it). */
export function messageText(message: string | Uint8Array): string {
  return typeof message === 'string' ? message : decoder.decode(message);
}

// A message as UTF-8 at `at`, copied in place while it is ASCII (most are: JSON), which costs less than a view
// and a call out for a short one; returns its length in bytes.
function encodeText(text: string, out: Uint8Array, at: number): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return i + encoder.encodeInto(text.slice(i), out.subarray(at + i)).written;
    out[at + i] = c;
  }
  return n;
}

/**
 * Encodes frames into one buffer, to go out in one write. The uid is stored as UTF-16 code units so that
 * any JavaScript string (even one with a lone surrogate from a JSON escape) reaches the peer unchanged;
 * the message as UTF-8, the bytes a socket sends.
 */
export function encodeFrames(frames: readonly RelayFrame[]): Uint8Array {
  let bound = 0;
  for (const f of frames) {
    bound += FRAME_HEADER_BYTES + f.uid.length * 2 + (typeof f.message === 'string' ? f.message.length * 3 : f.message.byteLength);
  }
  const out = new Uint8Array(bound);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const f of frames) {
    out[at] = f.type;
    view.setUint32(at + 1, f.id, true);
    view.setUint32(at + 5, f.value, true);
    view.setUint32(at + 9, f.uid.length * 2, true);
    at += 13;
    for (let i = 0; i < f.uid.length; i++, at += 2) view.setUint16(at, f.uid.charCodeAt(i), true);
    const lengthAt = at;
    at += 4;
    let length: number;
    if (typeof f.message === 'string') {
      length = encodeText(f.message, out, at);
    } else {
      out.set(f.message, at);
      length = f.message.byteLength;
    }
    view.setUint32(lengthAt, length, true);
    at += length;
  }
  return out.subarray(0, at);
}

/** The `answer` frame to request `id` for a push: the count in `value`; `message` `q` for QUEUED, `e<reason>` for a refusal. */
export function answerFrame(id: number, answer: PushAnswer): RelayFrame {
  if (typeof answer !== 'number') return frame(FrameType.answer, id, 0, '', `e${answer.refused}`);
  return answer === QUEUED ? frame(FrameType.answer, id, 0, '', 'q') : frame(FrameType.answer, id, answer);
}

/** Reads a push's answer from an `answer` frame written by answerFrame. */
export function answerOf(value: number, message: string | Uint8Array | undefined): PushAnswer {
  const text = message === undefined ? '' : messageText(message);
  if (text.startsWith('e')) return refusal(text.slice(1));
  return text === 'q' ? QUEUED : value;
}

/** Reads a uid stored as UTF-16 code units. */
export function decodeUid(bytes: Uint8Array): string {
  let uid = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) uid += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return uid;
}

/**
 * A list of uids as one frame message: JSON, which keeps any JavaScript string (a lone surrogate is escaped)
 * and costs one parse for the whole list, however long.
 */
export function encodeUidList(uids: readonly string[]): string {
  return JSON.stringify(uids);
}

/** Reads a list written by encodeUidList; anything else reads as no uids, so a bad frame costs an empty answer. */
export function decodeUidList(message: string | Uint8Array): string[] {
  try {
    const list: unknown = JSON.parse(messageText(message));
    return Array.isArray(list) ? list.filter((u): u is string => typeof u === 'string') : [];
  } catch {
    return [];
  }
}

/** Reads the counts a peer answered to `onlineMany`, one per uid asked; a malformed answer counts 0 each. */
export function decodeCounts(message: string | Uint8Array | undefined, length: number): number[] {
  let list: unknown;
  try {
    list = message === undefined ? undefined : JSON.parse(messageText(message));
  } catch {
    list = undefined;
  }
  return Array.from({ length }, (_, i) => {
    const n = Array.isArray(list) ? list[i] : 0;
    return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0;
  });
}
