/** Env var that tells a forked process which worker slot it is: `<worker index>:<process id>`. */
export const CHILD_ENV = 'PUSHPORT_CHILD';
/** Env var that tells a spawned process it is the detached master of `start -d`. */
export const DAEMON_ENV = 'PUSHPORT_DAEMON';

/** Exit status of a child whose own listen address failed (the master then gives up starting). */
export const EXIT_LISTEN_FAILED = 64;
/** Exit status of a child whose onWorkerStart threw, as Workerman's 250. */
export const EXIT_START_FAILED = 250;

/** What the master asks a child over the IPC channel. */
export type ToChild =
  | { t: 'start' }
  | { t: 'stop'; graceful: boolean; reload: boolean; restart?: boolean }
  | { t: 'ask'; req: number; what: 'stats' | 'connections' };

/** What a child tells the master. */
export type FromChild =
  | { t: 'ready' }
  | { t: 'listen-failed'; error: string }
  | { t: 'answer'; req: number; data: unknown };

/** One row of `status`. */
export interface ProcessStatus {
  pid: number;
  worker: string;
  id: number;
  listen: string[];
  connections: number;
  memory: number;
  messages: number;
  sendFails: number;
  startedAt: number;
}

/** One row of `connections`. */
export interface ConnectionInfo {
  pid: number;
  worker: string;
  id: number;
  /** The uid the connection identified with ('' when none): the Worker's `uidOf`, else a `uid` property set on it. */
  uid: string;
  protocol: string;
  local: string;
  remote: string;
  sendQueue: number;
  bytesRead: number;
  bytesWritten: number;
  status: string;
}

/** The whole `status` answer from the master. */
export interface StatusReport {
  masterPid: number;
  startFile: string;
  startedAt: number;
  processes: Array<ProcessStatus | { pid: number; worker: string; id: number; unresponsive: true }>;
}

/** Role-specific stop for Worker.stopAll(), set by whoever took charge of this process. */
export const roleHooks: { stopAll: (() => void) | null } = { stopAll: null };
