// Finds import cycles between our own modules (madge-style, without the dependency): a cycle makes load
// order matter and keeps two layers from being understood apart.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What to compare: files or their folders, and whether `import type` counts as a dependency. */
export interface CycleOptions {
  folders?: boolean;
  types?: boolean;
}

const importPattern = /^\s*(?:import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

// `import { type A, type B } from` brings nothing at runtime either.
function typeOnly(keyword: string | undefined, names: string | undefined): boolean {
  if (keyword) return true;
  const list = names?.trim().match(/^\{([^}]*)\}$/)?.[1];
  return list !== undefined && list.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '));
}

/** Each import cycle under `dir` (a strongly connected group of its modules), as sorted paths relative to it. */
export function findImportCycles(dir: string, options: CycleOptions = {}): string[][] {
  const root = resolve(dir);
  const keyOf = (file: string) => (options.folders ? dirname(relative(root, file)) : relative(root, file));
  const graph = new Map<string, Set<string>>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    // A folder's index.ts only re-exports: as a folder it would make every folder import the root.
    if (options.folders && entry.name === 'index.ts') continue;
    const file = join(entry.parentPath, entry.name);
    const from = keyOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const [, keyword, names, spec] of readFileSync(file, 'utf8').matchAll(importPattern)) {
      if (!options.types && typeOnly(keyword, names)) continue;
      const target = resolve(dirname(file), spec!);
      if (target.startsWith(root + '/') && keyOf(target) !== from) edges.add(keyOf(target));
    }
  }
  return stronglyConnected(graph).filter((group) => group.length > 1).map((group) => group.sort());
}

// Tarjan's algorithm: every group of modules that reach each other.
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) visit(next);
      if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, low.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do group.push((member = stack.pop()!));
    while (member !== node);
    groups.push(group);
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return groups;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'worker', 'emulator'];
  const found = dirs.flatMap((dir) => findImportCycles(dir).map((group) => `${dir}/: ${group.join(' → ')}`));
  found.push(...findImportCycles('src', { folders: true, types: true }).map((group) => `src/ folders: ${group.join(' ↔ ')}`));
  if (found.length > 0) {
    console.error(`import cycles:\n  ${found.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`no import cycles in ${dirs.join(', ')}`);
}
