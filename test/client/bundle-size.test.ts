import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleClient } from './bundle-client.ts';

const root = resolve(import.meta.dirname, '../..');

describe('the pushport/client bundle', () => {
  it('stays within 3 KB minified and gzipped, as a page would ship it', async () => {
    const code = await bundleClient();
    expect(code.byteLength).toBeGreaterThan(0);
    expect(gzipSync(code).byteLength).toBeLessThanOrEqual(3072);
  });

  it('is exported as pushport/client, from what the build emits', async () => {
    const exported = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).exports['./client'];
    expect(exported).toEqual({ types: './dist/src/client/index.d.ts', default: './dist/src/client/index.js' });
    expect(existsSync(resolve(root, exported.types)), 'run `npm run build` first').toBe(true);
    const built = (await import(resolve(root, exported.default))) as typeof import('../../src/client/index.ts');
    expect(typeof built.PushportSocket).toBe('function');
    expect(built.V1_PROTOCOL).toBe('pushport.v1');
  });
});
