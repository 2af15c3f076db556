import type { SqlDb, SqlRow, SqlValue } from '../src/index.ts';

/** The mailbox's SQL over a Durable Object's own SQLite, which commits each transaction at once. */
export class DurableObjectSqlDb implements SqlDb {
  private readonly storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  run(sql: string, ...params: SqlValue[]): void {
    // Stepped to the end, so that a statement with RETURNING has done all its work.
    this.storage.sql.exec(sql, ...params).toArray();
  }

  all<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): T[] {
    return this.storage.sql.exec(sql, ...params).toArray() as T[];
  }

  transaction<T>(work: () => T): T {
    return this.storage.transactionSync(work);
  }

  committed(): undefined {
    return undefined;
  }
}
