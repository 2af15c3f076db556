import type { SqlDb, SqlRow } from '../src/index.ts';

/**
 * The mailbox's SQL over a Durable Object's own SQLite. Changes are counted with `changes()`, not the cursor's
 * `rowsWritten`, which also counts the index rows a statement rewrote.
 */
export class DurableObjectSqlDb implements SqlDb {
  private readonly storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  run(sql: string, ...params: (string | number | null)[]): number {
    const cursor = this.storage.sql.exec(sql, ...params);
    // Stepped to the end, so that a statement with RETURNING has done all its work.
    for (const _ of cursor) { /* drained */ }
    return this.storage.sql.exec<{ n: number }>('SELECT changes() AS n').one().n;
  }

  all(sql: string, ...params: (string | number | null)[]): SqlRow[] {
    return this.storage.sql.exec(sql, ...params).toArray();
  }

  transaction<T>(work: () => T): T {
    return this.storage.transactionSync(work);
  }
}
