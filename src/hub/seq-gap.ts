import { formatV1Frame } from '../wire/v1-frame.ts';
import type { PushSocket } from './push-socket.ts';

/**
 * Reads a uid's stored pushes with `after < seq < before`, in seq order, and takes them off the queue (they
 * are being delivered now). Only called on a gap, so it may cost a store read.
 */
export type ReadStoredBetween = (uid: string, after: number, before: number) => readonly { seq: number; message: string }[];

/**
 * A stored push with seq `before` is about to go to a socket that was last sent `socket.lastSeq`, and the
 * seqs between them never reached it: one was answered `queued` because the process that stored it could
 * not reach this one (it was restarting), or one is still on its way through another process. The store
 * hands out a uid's seqs under its write lock, so every lower seq is committed before a higher one is sent
 * anywhere: what the store holds between the two is all there is, and it goes out first, in order. A copy
 * that arrives later is below `lastSeq` and is not sent again. Returns false when a send failed (the socket
 * is closing): the push after the gap must not go out either, or the client would resume past the gap.
 */
export function fillSeqGap(socket: PushSocket, uid: string, before: number, read: ReadStoredBetween): boolean {
  let missing: readonly { seq: number; message: string }[];
  try {
    missing = read(uid, socket.lastSeq ?? 0, before);
  } catch {
    // A store that cannot be read loses nothing more than before: the push itself still goes out.
    return true;
  }
  for (const push of missing) {
    if (!socket.send(socket.v1 ? formatV1Frame(push.seq, push.message) : push.message)) return false;
    socket.lastSeq = push.seq;
  }
  return true;
}
