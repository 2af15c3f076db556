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

  it('document only ways to run the command that an old Node answers in one line', () => {
    // `node bin/pushport.ts` fails on Node 20 before any check can run (.ts is not loadable there).
    expect(read('README.md')).not.toMatch(/node bin\/pushport\.ts/);
  });
});
