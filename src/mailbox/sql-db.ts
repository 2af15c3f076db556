/** A row as SQLite returns it. */
export type SqlRow = Record<string, unknown>;

/**
 * The synchronous SQL both runtimes have: a Durable Object's `ctx.storage.sql` and Node's `node:sqlite`. The
 * mailbox is written once against this, so the edge and the local server store pushes the same way.
 */
export interface SqlDb {
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, ...params: (string | number | null)[]): number;
  /** Runs a query; returns every row. */
  all(sql: string, ...params: (string | number | null)[]): SqlRow[];
  /** Runs `work` as one transaction: all of it is stored, or none. */
  transaction<T>(work: () => T): T;
  /**
   * Where a store commits several transactions together (once per turn of the event loop): resolves when
   * what was written so far is committed, and rejects if it was not. Undefined when it already is.
   */
  committed?(): Promise<void> | undefined;
}
