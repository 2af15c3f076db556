import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleClient } from '../../scripts/build-client-module.ts';
import { clientModule } from '../../src/home/client-module.ts';

const root = resolve(import.meta.dirname, '../..');

describe('the pushport/client bundle', () => {
  it('is what the server serves at /pushport-client.js, built from today\'s src/client', async () => {
    expect(clientModule, 'the generated module is stale: run `npm run build`').toBe(await bundleClient());
  });

  it('stays within 3 KB minified and gzipped, as a page would ship it', () => {
    expect(clientModule.length).toBeGreaterThan(0);
    expect(gzipSync(clientModule).byteLength).toBeLessThanOrEqual(3072);
  });

  it('imports as one ES module with nothing else to fetch, and its client connects', async () => {
    const url = `data:text/javascript;base64,${Buffer.from(clientModule).toString('base64')}`;
    const served = (await import(url)) as typeof import('../../src/client/index.ts');
    expect(served.V1_PROTOCOL).toBe('pushport.v1');
    const opened: string[] = [];
    class RecordingSocket {
      readonly protocol = '';
      readonly readyState = 0;
      constructor(url: string) { opened.push(url); }
      send() {}
      close() {}
      addEventListener() {}
    }
    const socket = new served.PushportSocket({ url: 'ws://127.0.0.1:1234/', uid: 'u 1', WebSocket: RecordingSocket, pingSeconds: 0 });
    expect(opened).toEqual(['ws://127.0.0.1:1234/?uid=u+1']);
    socket.close();
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
