import type { Socket } from 'node:net';

const corked: Socket[] = [];
const afterwards: (() => void)[] = [];
let scheduled = false;

function endOfTurn(): void {
  scheduled = false;
  for (let i = 0; i < corked.length; i++) corked[i]!.uncork();
  corked.length = 0;
  // Run what waits for this turn's frames (replies), once they are all handed over; new work goes to the next turn.
  const waiting = afterwards.splice(0);
  for (const run of waiting) run();
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

/** Runs `run` at the end of this turn, after the frames corked in it are written (the text port's replies). */
export function afterTurnWrites(run: () => void): void {
  afterwards.push(run);
  schedule();
}
