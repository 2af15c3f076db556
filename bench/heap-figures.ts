import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { onCleanup } from './cleanup.ts';

const PRELOAD = resolve(import.meta.dirname, 'heap-probe-preload.mjs');
const POLL_MS = 50;
const WAIT_MS = 10_000;

/** Memory of a server's processes after a full collection, summed: the heap its live objects use, and what Buffers and handles hold outside it. */
export interface HeapFigures {
  heapUsed: number;
  external: number;
  rss: number;
}

/** Where the servers' probes write, made once per bench run. */
let probeDir: string | undefined;

/**
 * Env for a server the bench starts: the heap probe preloaded (see heap-probe-preload.mjs). Both servers get
 * the same, so their heap figures compare like with like.
 */
export function heapProbeEnv(): NodeJS.ProcessEnv {
  if (!probeDir) {
    const made = mkdtempSync(join(tmpdir(), 'pushport-bench-heap-'));
    probeDir = made;
    onCleanup(() => rmSync(made, { recursive: true, force: true }));
  }
  const options = [process.env.NODE_OPTIONS, '--expose-gc', `--import=${PRELOAD}`].filter(Boolean).join(' ');
  return { BENCH_HEAP_DIR: probeDir, NODE_OPTIONS: options };
}

function readFigures(pid: number, after: number): HeapFigures & { at: number } | undefined {
  try {
    const figures = JSON.parse(readFileSync(join(probeDir!, `${pid}.json`), 'utf8')) as HeapFigures & { at: number };
    return figures.at >= after ? figures : undefined;
  } catch {
    return undefined;
  }
}

/** Asks each process for its figures after a full collection and sums them; undefined if one did not answer in time. */
export async function heapFigures(pids: number[]): Promise<HeapFigures | undefined> {
  if (!probeDir || pids.length === 0) return undefined;
  const asked = Date.now();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGWINCH');
    } catch {
      return undefined;
    }
  }
  const sum: HeapFigures = { heapUsed: 0, external: 0, rss: 0 };
  for (const pid of pids) {
    let figures = readFigures(pid, asked);
    for (let waited = 0; !figures && waited < WAIT_MS; waited += POLL_MS) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      figures = readFigures(pid, asked);
    }
    if (!figures) return undefined;
    sum.heapUsed += figures.heapUsed;
    sum.external += figures.external;
    sum.rss += figures.rss;
  }
  return sum;
}
