/** Something holding writes for the end of the turn: a WebSocket with this turn's frames. */
export interface TurnWriter {
  /** Writes what it holds, in one write. */
  flush(): void;
}

const writers: TurnWriter[] = [];
// What runs once this turn's deliveries have left: the text port's replies, and closes queued after them.
const after: (() => void)[] = [];
let scheduled = false;
// Inside a fan-out (see sendingAlone): a writer that holds nothing this turn writes at once.
let alone = false;

function endOfTurn(): void {
  scheduled = false;
  for (let i = 0; i < writers.length; i++) writers[i]!.flush();
  writers.length = 0;
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
 * Flushes `writer` once the event loop has run every I/O callback that is ready now, so the frames that all
 * the chunks of lines read in one turn send to one client leave in one syscall, and each client is written
 * once per turn. When the server is idle a turn is one callback, so nothing waits longer. A writer registers
 * once per turn: when it gets its first frame.
 */
export function flushAtEndOfTurn(writer: TurnWriter): void {
  writers.push(writer);
  schedule();
}

/**
 * Runs `run` at the end of this turn, once every writer has been flushed, in the order given: a backend's
 * `ok` is written only after the frames it answers for, so it never learns of a delivery before the client
 * can see it, and a pipelining backend does not pile new pushes on frames still waiting to leave.
 */
export function afterDeliveries(run: () => void): void {
  after.push(run);
  schedule();
}

/**
 * Runs `send` as a fan-out's one frame to a socket (a broadcast): holding it to the end of the turn would join
 * it with nothing, so a writer that holds nothing this turn writes it at once, and the fan-out's writes start
 * while the loop is still running. A writer that already holds frames this turn keeps the new one after them.
 */
export function sendingAlone<T>(socket: { send(message: string): T }, message: string): T {
  alone = true;
  try {
    return socket.send(message);
  } finally {
    alone = false;
  }
}

/** Whether the frame being written is a fan-out's one frame to its socket (see sendingAlone). */
export function writingAlone(): boolean {
  return alone;
}
