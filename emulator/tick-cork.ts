import type { Socket } from 'node:net';

// Sockets held this turn: deliveries first, then the sockets that must leave after them (text-port replies).
const corked: Socket[] = [];
const corkedLast: Socket[] = [];
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  // A socket may have been corked more than once if it was uncorked by Node meanwhile; uncork as often.
  for (let i = 0; i < corked.length; i++) corked[i]!.uncork();
  corked.length = 0;
  for (let i = 0; i < corkedLast.length; i++) corkedLast[i]!.uncork();
  corkedLast.length = 0;
}

function hold(socket: Socket, list: Socket[]): void {
  if (socket.writableCorked > 0) return;
  socket.cork();
  list.push(socket);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}

/**
 * Holds a socket's writes until the event loop has run every I/O callback that is ready now, so the frames
 * that all the chunks of lines read in one turn send to one client leave in one syscall, and every socket they
 * touched is flushed once (like `ws` users' cork/uncork per chunk, across chunks and without every caller
 * having to remember the uncork). When the server is idle a turn is one callback, so nothing waits longer.
 */
export function corkForTick(socket: Socket): void {
  hold(socket, corked);
}

/**
 * As corkForTick, but flushed after every socket corked with corkForTick this turn: a backend's `ok` leaves
 * only after the frames it answers for, so it never learns of a delivery before the client can see it, and a
 * pipelining backend does not pile new pushes on top of frames still waiting to leave.
 */
export function corkForTickAfterDeliveries(socket: Socket): void {
  hold(socket, corkedLast);
}
