import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRuntimeUses } from '../../scripts/check-core.ts';

describe('the runtime-free check on src/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushport-core-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the real src/', () => {
    expect(findRuntimeUses('src')).toEqual([]);
  });

  it('catches node:, bare built-ins, cloudflare: and Node globals', () => {
    writeFileSync(join(dir, 'bad.ts'), [
      "import { readFileSync } from 'node:fs';",
      "import path from 'path';",
      "import { DurableObject } from 'cloudflare:workers';",
      'const b = Buffer.from("x");',
      'const e = process.env.X;',
      "// import 'node:os' in a comment is fine",
      "import { Hono } from 'hono';",
    ].join('\n'));
    expect(findRuntimeUses(dir).map((f) => f.replace(/^.*bad\.ts:/, ''))).toEqual([
      '1: imports node:fs',
      '2: imports path',
      '3: imports cloudflare:workers',
      '4: uses Buffer',
      '5: uses process',
    ]);
  });
});
