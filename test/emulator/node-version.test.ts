import { describe, expect, it } from 'vitest';
import { unsupportedNode } from '../../emulator/node-version.ts';

describe('the Node version check', () => {
  it('accepts 22.12 and newer', () => {
    for (const v of ['22.12.0', '22.13.1', '23.0.0', '24.21.0', process.versions.node]) expect(unsupportedNode(v)).toBeUndefined();
  });

  it('refuses older Nodes, which would ignore reusePort silently', () => {
    expect(unsupportedNode('20.20.2')).toMatch(/^Node 22\.12 or newer is needed \(SO_REUSEPORT\), but this is Node 20\.20\.2/);
    expect(unsupportedNode('22.11.0')).toMatch(/Node 22\.12 or newer is needed/);
  });
});
