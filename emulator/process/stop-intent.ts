/**
 * Why this process is stopping, set before `onWorkerStop` runs: a plain stop, or a reload or restart after
 * which the server is back (so clients can be told to reconnect rather than that the server is gone).
 */
export const stopIntent = { restarting: false };
