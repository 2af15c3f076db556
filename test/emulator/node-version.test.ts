import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { unsupportedNode } from '../../emulator/node-version.ts';

describe('the Node version check', () => {
  it('accepts 22.12 and newer', () => {
    for (const v of ['22.12.0', '22.13.1', '23.0.0', '24.21.0', process.versions.node]) expect(unsupportedNode(v)).toBeUndefined();
  });

  it('refuses older Nodes, which would ignore reusePort silently', () => {
    expect(unsupportedNode('20.20.2')).toMatch(/^Node 22\.12 or newer is needed \(SO_REUSEPORT\), but this is Node 20\.20\.2/);
    expect(unsupportedNode('22.11.0')).toMatch(/Node 22\.12 or newer is needed/);
    // What a deployment outside the repo needs to act: the version, and where to get it.
    expect(unsupportedNode('20.20.2')).toContain('(past its end of life)');
    expect(unsupportedNode('20.20.2')).toContain('Install Node 24 LTS (https://nodejs.org/en/download');
    expect(unsupportedNode('20.20.2')).toContain('`npm install node@24` in the project that installed pushport');
    expect(unsupportedNode('20.20.2')).not.toMatch(/repo|npm start/);
  });

  // The installed command (dist/bin) and the repo's (bin/, through npm) check before loading anything else;
  // an old Node is simulated by overwriting process.versions.node before the entry runs.
  it.each([['dist/bin/pushport.js', 'start'], ['bin/pushport.ts', 'bridge']])('%s %s says so in one line on an old Node', async (entry, command) => {
    const oldNode = "data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.20.2'})";
    const result = await promisify(execFile)(process.execPath, ['--import', oldNode, entry, command], { cwd: resolve(import.meta.dirname, '../..') })
      .then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => error);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pushport: Node 22\.12 or newer is needed \(SO_REUSEPORT\), but this is Node 20\.20\.2 \(past its end of life\)\. [^\n]+\n$/);
  });
});
