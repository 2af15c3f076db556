/** Counters for this process, reported by `status`. */
export const processStats = {
  startedAt: Date.now(),
  /** Connections open now, over every worker listening in this process. */
  connections: 0,
  /** Messages handed to onMessage since start. */
  messages: 0,
  /** send() calls that dropped data (buffer full or connection closed). */
  sendFails: 0,
};
