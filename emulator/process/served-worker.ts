import type { ListenHandle } from '../listen-handle.ts';

/** What the process layer reads of an open connection: a `connections` row, and how to end it on a hard stop. */
export interface ServedConnection {
  readonly id: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly status: string;
  getLocalIp(): string;
  getLocalPort(): number;
  getRemoteIp(): string;
  getRemotePort(): number;
  getSendBufferQueueSize(): number;
  destroy(): void;
  /** Workerman programs keep a connection's uid here (`$connection->uid`). */
  readonly uid?: unknown;
}

/**
 * What the process layer needs of a Worker. The Worker class fills it in; the process layer (and the CLI it
 * starts) sees only this, so the API depends on the process layer and never the other way round.
 */
export interface ServedWorker {
  /** Index of this process among the worker's `count` processes, set when a child takes its slot. */
  id: number;
  readonly name: string;
  readonly count: number;
  readonly reusePort: boolean;
  /** A protocol name, a custom protocol object, or null for raw TCP. */
  readonly protocol: string | object | null;
  readonly connections: ReadonlyMap<number, ServedConnection>;
  /** The uid a connection identified with, for `connections` (a pushport extension). */
  uidOf?(connection: ServedConnection): string | undefined;
  getSocketName(): string;
  listen(handle?: ListenHandle): void;
  unlisten(): void;
  onWorkerStart?(worker: ServedWorker): void;
  onWorkerStop?(worker: ServedWorker): void | Promise<void>;
  onWorkerReload?(worker: ServedWorker): void;
}
