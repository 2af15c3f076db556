/**
 * Preloaded into the servers the bench starts (`node --expose-gc --import` through NODE_OPTIONS), never into
 * pushport itself. Plain JavaScript: a TypeScript preload would load Node's type stripper into every server and
 * add megabytes to the idle memory the bench measures. On SIGWINCH it collects garbage fully and writes the
 * process's memory figures to `$BENCH_HEAP_DIR/<pid>.json`. RSS moves with the allocator and the collector's
 * mood; the heap that is live after a full collection is what the server's objects really keep, so
 * per-connection figures read it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_HEAP_DIR;
/** @type {(() => void) | undefined} */
const collect = globalThis.gc;

if (dir && collect) {
  // A signal handler does not keep the process alive, and no server here uses SIGWINCH (a terminal resize).
  process.on('SIGWINCH', () => {
    // Twice: the first pass may leave objects that only a finalizer or weak callback released.
    collect();
    collect();
    const { rss, heapUsed, external } = process.memoryUsage();
    const file = join(dir, `${process.pid}.json`);
    // Written whole, then renamed: the bench never reads half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, rss, heapUsed, external, at: Date.now() }));
    renameSync(`${file}.tmp`, file);
  });
}
