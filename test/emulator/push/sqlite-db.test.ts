import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../../emulator/push/sqlite-db.ts';
import { ROOT } from '../helpers/processes.ts';

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

  it('opens a new store from several processes at the same moment, every time, and it is in WAL mode from the start', async () => {
    // The first v1 clients of a new server reach its processes at once, and each opens the store it has not seen.
    const rounds = 60;
    const files = Array.from({ length: rounds }, (_, i) => join(dir, `at-once-${i}.db`));
    const processes = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, [join(ROOT, 'test/emulator/fixtures/open-store.ts'), ...files], { stdio: ['pipe', 'pipe', 'inherit'] });
      const lines: string[] = [];
      let partial = '';
      let waiting: { n: number; done: () => void } | undefined;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const all = (partial + chunk).split('\n');
        partial = all.pop()!;
        lines.push(...all);
        if (waiting && lines.length >= waiting.n) waiting.done();
      });
      child.on('exit', () => waiting?.done());
      // Resolves once the process has said `n` lines (or has exited, which the checks below then catch).
      const said = (n: number) => new Promise<void>((done) => (lines.length >= n ? done() : (waiting = { n, done })));
      return { child, lines, said };
    });
    const opened: string[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        await Promise.all(processes.map((p) => p.said(2 * round + 1)));
        // Released together: each is blocked reading its stdin.
        for (const p of processes) p.child.stdin.write('g');
        await Promise.all(processes.map((p) => p.said(2 * round + 2)));
        opened.push(...processes.map((p) => p.lines[2 * round + 1] ?? 'exited'));
        // The file never held a database in the rollback journal mode: its header says WAL (bytes 18 and 19 are 2).
        expect([...readFileSync(files[round]!).subarray(18, 20)]).toEqual([2, 2]);
      }
    } finally {
      // A failed round must not leave the four processes waiting on their stdin.
      for (const p of processes) p.child.stdin.end();
    }
    expect(opened.filter((line) => line !== 'ok')).toEqual([]);
    // Nothing of the private names a new store is made under is left behind.
    expect(readdirSync(dir).filter((name) => name.startsWith('at-once-') && !/^at-once-\d+\.db(-wal|-shm)?$/.test(name))).toEqual([]);
  }, 60_000);
});
