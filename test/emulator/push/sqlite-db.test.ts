import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../../emulator/push/sqlite-db.ts';

const dir = mkdtempSync(join(tmpdir(), 'pushport-sqlite-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteDb (write-behind)', () => {
  it('keeps the other transactions of a run when one of them fails: each is all or none on its own', async () => {
    const file = join(dir, 'one-fails.db');
    const db = new SqliteDb(file);
    db.run('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
    await db.committed();
    db.transaction(() => db.run('INSERT INTO t VALUES (?, ?)', 'a', 1));
    expect(() => db.transaction(() => {
      db.run('INSERT INTO t VALUES (?, ?)', 'b', 2);
      db.run('INSERT INTO t VALUES (?, ?)', 'a', 3);
    })).toThrow();
    db.transaction(() => db.run('INSERT INTO t VALUES (?, ?)', 'c', 3));
    await expect(db.committed()).resolves.toBeUndefined();
    // What another process reads from the file: the failed transaction left nothing, the others everything.
    const other = new SqliteDb(file);
    expect(other.all<{ k: string; v: number }>('SELECT k, v FROM t ORDER BY k')).toEqual([{ k: 'a', v: 1 }, { k: 'c', v: 3 }]);
    other.close();
    db.close();
  });

  it('says when a run is durable: undefined when nothing waits, a promise while a run is open', async () => {
    const db = new SqliteDb(join(dir, 'committed.db'));
    expect(db.committed()).toBeUndefined();
    db.transaction(() => db.run('CREATE TABLE t (k TEXT)'));
    const pending = db.committed();
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(db.committed()).toBeUndefined();
    db.close();
  });
});
