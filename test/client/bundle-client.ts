import { resolve } from 'node:path';
import { build } from 'esbuild';

/** pushport/client bundled and minified for the browser, as a page would ship it (an ES module). */
export async function bundleClient(): Promise<Uint8Array> {
  const bundled = await build({
    entryPoints: [resolve(import.meta.dirname, '../../src/client/index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  return bundled.outputFiles[0]!.contents;
}
