// Keeps src/ runtime-free: no Node built-ins, no cloudflare: modules, no Node-only globals.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
const globalPattern = /\b(Buffer|process|__dirname|__filename|require)\b\s*[.(]/g;

/** Lists every runtime-specific import or global in the .ts files under `dir`, as `file:line: what`. */
export function findRuntimeUses(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      const where = `${relative(process.cwd(), file)}:${i + 1}`;
      for (const [, spec] of line.matchAll(importPattern)) {
        if (builtins.has(spec!) || spec!.startsWith('cloudflare:')) found.push(`${where}: imports ${spec}`);
      }
      for (const [, name] of line.matchAll(globalPattern)) found.push(`${where}: uses ${name}`);
    });
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? 'src';
  const found = findRuntimeUses(dir);
  if (found.length > 0) {
    console.error(`${dir}/ must stay runtime-free (Web-standard APIs only), but:\n  ${found.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`${dir}/ is runtime-free`);
}
