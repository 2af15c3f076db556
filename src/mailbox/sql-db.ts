/** A row as SQLite returns it. */
export type SqlRow = Record<string, unknown>;

/** A value a statement takes. */
export type SqlValue = string | number | null;

/**
 * The synchronous SQL both runtimes have: a Durable Object's `ctx.storage.sql` and Node's `node:sqlite`. The
 * mailbox is written once against this, so the edge and the local server store pushes the same way.
 *
 * Write-behind: a store may make what it wrote durable later than it returns (the local server commits every
 * transaction of one synchronous run together, when the run ends). Ordering rule for callers: nothing written
 * may be made visible to anyone outside the store (a push delivered, an answer given) before `committed()`
 * has resolved for it; commits resolve in the order the writes were made, and a failed commit fails every
 * write of its run, which then must not be shown at all.
 */
export interface SqlDb {
  /** Runs a statement that returns nothing; use `all` with RETURNING to learn what it changed. */
  run(sql: string, ...params: SqlValue[]): void;
  /** Runs a query; returns every row, typed by the caller after the columns it selects. */
  all<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): T[];
  /** Runs `work` as one transaction: all of it is written, or none (nested calls join the outer one). */
  transaction<T>(work: () => T): T;
  /**
   * Resolves when everything written so far is durable, and rejects if it never will be (see the ordering
   * rule above). Undefined when it already is: a store that commits each transaction at once.
   */
  committed(): Promise<void> | undefined;
}
