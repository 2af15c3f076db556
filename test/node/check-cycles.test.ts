import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findImportCycles } from '../../scripts/check-cycles.ts';

describe('the import cycle check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushport-cycles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds no runtime cycle in src/, worker/ or emulator/', () => {
    expect(findImportCycles('src')).toEqual([]);
    expect(findImportCycles('worker')).toEqual([]);
    expect(findImportCycles('emulator')).toEqual([]);
  });

  it('finds no cycle between the folders of src/, types included', () => {
    expect(findImportCycles('src', { folders: true, types: true })).toEqual([]);
  });

  it('keeps the emulator process layer and CLI out of every cycle, types included', () => {
    const inCycles = findImportCycles('emulator', { types: true }).flat();
    expect(inCycles.filter((file) => file.startsWith('process/') || file.startsWith('cli/'))).toEqual([]);
  });

  it('catches a cycle, and counts type-only imports only when asked', () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'one.ts'), "import { two } from '../b/two.ts';\nexport const one = two;\n");
    writeFileSync(join(dir, 'b', 'two.ts'), "import { type One } from '../a/types.ts';\nexport const two = 2;\nexport type T = One;\n");
    writeFileSync(join(dir, 'a', 'types.ts'), "import type { T } from '../b/two.ts';\nexport type One = T;\n");
    expect(findImportCycles(dir)).toEqual([]);
    expect(findImportCycles(dir, { types: true })).toEqual([['a/types.ts', 'b/two.ts']]);
    expect(findImportCycles(dir, { folders: true, types: true })).toEqual([['a', 'b']]);
    writeFileSync(join(dir, 'b', 'two.ts'), "import { one } from '../a/one.ts';\nexport const two = 2;\nexport const back = () => one;\n");
    expect(findImportCycles(dir)).toEqual([['a/one.ts', 'b/two.ts']]);
  });
});
