import type { Socket } from 'node:net';

const corked: Socket[] = [];
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  // A socket may have been corked more than once if it was uncorked by Node meanwhile; uncork as often.
  for (let i = 0; i < corked.length; i++) corked[i]!.uncork();
  corked.length = 0;
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
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}
