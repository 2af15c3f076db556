import { existsSync, linkSync, rmSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SqlDb, SqlRow, SqlValue } from '../../src/mailbox/sql-db.ts';

type Turn = { done: Promise<void>; resolve: () => void; reject: (error: unknown) => void };

/**
 * The mailbox's store on the local server: one SQLite file in WAL mode, opened by every process of the
 * server. A committed push survives a killed process (WAL without fsync per commit: it is in the OS's
 * cache at once; a power cut may lose the last moments). Statements are prepared once and reused.
 *
 * Write-behind (see SqlDb): the transactions of one synchronous run (every stored push of a chunk of text
 * lines, or of a batch) share one BEGIN and one COMMIT, made when the run ends (a microtask), since a commit
 * costs more than the statements of a push. Each transaction is a savepoint inside it, so one that fails
 * undoes only itself; `committed()` tells a caller when its writes are durable, so it delivers only then.
 */
export class SqliteDb implements SqlDb {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private depth = 0;
  private turn: Turn | undefined;

  constructor(file: string) {
    // Loaded with the first store a process opens: a server that stores nothing never carries SQLite.
    const { DatabaseSync: Database } = process.getBuiltinModule('node:sqlite');
    if (file !== ':memory:' && !existsSync(file)) createInWalMode(Database, file);
    this.db = new Database(file);
    // Another process may hold the write lock for a moment: wait for it rather than fail the push.
    this.db.exec('PRAGMA busy_timeout = 5000');
    // A no-op for a file made above (it needs no write lock then); a file made elsewhere is switched.
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
  }

  run(sql: string, ...params: SqlValue[]): void {
    this.statement(sql).run(...params);
  }

  all<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  transaction<T>(work: () => T): T {
    // Nested calls join the outer transaction, and every transaction of this run joins the run's.
    if (this.depth > 0) return work();
    this.turn ??= this.begin();
    this.depth++;
    this.statement('SAVEPOINT pushport').run();
    try {
      const result = work();
      this.statement('RELEASE pushport').run();
      return result;
    } catch (error) {
      if (this.db.isTransaction) {
        // Only this transaction is undone: the others of the run stay, to be committed with it.
        this.statement('ROLLBACK TO pushport').run();
        this.statement('RELEASE pushport').run();
      } else {
        // SQLite gave up the whole run (a full disk, say): whoever waits on committed() learns it.
        this.end(error);
      }
      throw error;
    } finally {
      this.depth--;
    }
  }

  committed(): Promise<void> | undefined {
    return this.turn?.done;
  }

  private begin(): Turn {
    // IMMEDIATE takes the write lock first, so two processes never both read a seq and then both write it.
    this.db.exec('BEGIN IMMEDIATE');
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // Nobody may be waiting (a sweep); a failure is still reported to those who are.
    done.catch(() => {});
    queueMicrotask(() => this.end());
    return { done, resolve, reject };
  }

  // Commits the run's transaction, unless it is lost already (`failure`).
  private end(failure?: unknown): void {
    const turn = this.turn;
    if (!turn) return;
    this.turn = undefined;
    try {
      if (failure === undefined) this.db.exec('COMMIT');
    } catch (error) {
      failure ??= error;
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
    }
    if (failure === undefined) turn.resolve();
    else turn.reject(failure);
  }

  /** Commits what is pending and closes the file (at process exit). */
  close(): void {
    this.end();
    this.db.close();
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

/**
 * Makes a new store file that is in WAL mode from the moment it has its name: made under a name of this process's
 * own, then linked into place, which fails harmlessly when another process got there first. Switching a shared
 * file to WAL takes a write lock that SQLite's busy wait does not cover (two connections that each hold a read
 * lock and want to write would deadlock, so one fails at once): processes that opened a new file at the same
 * moment, as a new server's do for their first clients, would see "database is locked".
 */
function createInWalMode(Database: typeof DatabaseSync, file: string): void {
  const own = `${file}.${process.pid}.new`;
  // Left by a killed process that had this pid: it held nothing yet.
  for (const name of [own, `${own}-wal`, `${own}-shm`]) rmSync(name, { force: true });
  const db = new Database(own);
  try {
    db.exec('PRAGMA journal_mode = WAL');
  } finally {
    // Closing the only connection folds its log into the file: it is one file again.
    db.close();
  }
  try {
    linkSync(own, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(own, { force: true });
  }
}
