import type { Socket } from 'node:net';

const corked: Socket[] = [];
// What runs once this turn's deliveries have left: the text port's replies, and closes queued after them.
const after: (() => void)[] = [];
let scheduled = false;

function endOfTurn(): void {
  scheduled = false;
  // A socket may have been corked more than once if it was uncorked by Node meanwhile; uncork as often.
  for (let i = 0; i < corked.length; i++) corked[i]!.uncork();
  corked.length = 0;
  // Run by index: a callback may queue another for this same pass.
  for (let i = 0; i < after.length; i++) after[i]!();
  after.length = 0;
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(endOfTurn);
}

/**
 * Holds a socket's writes until the event loop has run every I/O callback that is ready now, so the frames
 * that all the chunks of lines read in one turn send to one client leave in one syscall, and every socket they
 * touched is flushed once (like `ws` users' cork/uncork per chunk, across chunks and without every caller
 * having to remember the uncork). When the server is idle a turn is one callback, so nothing waits longer.
 */
export function corkForTick(socket: Socket): void {
  if (socket.writableCorked > 0) return;
  socket.cork();
  corked.push(socket);
  schedule();
}

/**
 * Runs `run` at the end of this turn, once every socket corked with corkForTick has been flushed, in the
 * order given: a backend's `ok` is written only after the frames it answers for, so it never learns of a
 * delivery before the client can see it, and a pipelining backend does not pile new pushes on frames still
 * waiting to leave.
 */
export function afterDeliveries(run: () => void): void {
  after.push(run);
  schedule();
}
