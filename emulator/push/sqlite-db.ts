import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqlDb } from '../../src/mailbox/sql-db.ts';

/**
 * The mailbox's store on the local server: one SQLite file in WAL mode, opened by every process of the
 * server. A committed push survives a killed process (WAL without fsync per commit: it is in the OS's
 * cache at once; a power cut may lose the last moments). Statements are prepared once and reused.
 */
export class SqliteDb implements SqlDb {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private depth = 0;

  constructor(file: string) {
    this.db = new DatabaseSync(file);
    // Another process may hold the write lock for a moment: wait for it rather than fail the push.
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
  }

  run(sql: string, ...params: (string | number | null)[]): number {
    return Number(this.statement(sql).run(...params).changes);
  }

  all(sql: string, ...params: (string | number | null)[]): Record<string, unknown>[] {
    return this.statement(sql).all(...params) as Record<string, unknown>[];
  }

  transaction<T>(work: () => T): T {
    // Nested calls join the outer transaction.
    if (this.depth > 0) return work();
    // IMMEDIATE takes the write lock first, so two processes never both read a seq and then both write it.
    this.db.exec('BEGIN IMMEDIATE');
    this.depth++;
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.depth--;
    }
  }

  /** Closes the file (at process exit). */
  close(): void {
    this.db.close();
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}
