import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(resolve(root, file), 'utf8');

// A newcomer copies .dev.vars.example, runs `wrangler dev`, then pastes the README's curl lines: they must agree.
describe('the README and .dev.vars.example', () => {
  it('use the same publisher token', () => {
    const token = /^PUSH_TOKEN=(.+)$/m.exec(read('.dev.vars.example'))?.[1];
    expect(token).toBeTruthy();
    const readme = read('README.md');
    const curlToken = /^TOKEN=([^;\s]+); URL=.*8787 under wrangler dev/m.exec(readme)?.[1];
    expect(curlToken).toBe(token);
  });

  it('say at the top what a deployment needs: Node 22.12 or newer, Node 20 being past its end of life', () => {
    const top = read('README.md').split('\n').slice(0, 20).join('\n');
    expect(top).toMatch(/needs \**Node 22\.12 or newer/);
    expect(top).toMatch(/Node 20 is past its end of life/);
    expect(top).toContain('docs/deploy.md');
  });

  it('document only ways to run the command that an old Node answers in one line', () => {
    // `node bin/pushport.ts` fails on Node 20 before any check can run (.ts is not loadable there).
    expect(read('README.md')).not.toMatch(/node bin\/pushport\.ts/);
  });
});
