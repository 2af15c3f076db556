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
 * Holds a socket's writes until the end of this tick, so the frames a burst of pushes sends to one client leave
 * in one syscall, and every socket a chunk of lines touched is flushed once (like `ws` users' cork/uncork per
 * chunk, without every caller having to remember the uncork).
 */
export function corkForTick(socket: Socket): void {
  if (socket.writableCorked > 0) return;
  socket.cork();
  corked.push(socket);
  if (!scheduled) {
    scheduled = true;
    process.nextTick(uncorkAll);
  }
}
