import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('wrangler deploy --dry-run', () => {
  const out = mkdtempSync(join(tmpdir(), 'pushport-dist-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles the Worker and its Durable Object offline', () => {
    const log = execFileSync('wrangler', ['deploy', '--dry-run', '--outdir', out], {
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    expect(log).toMatch(/--dry-run: exiting now/);
    expect(log).toMatch(/env\.PUSH_HUB \(PushHub\)/);
    const bundle = readdirSync(out).find((f) => f.endsWith('.js'));
    expect(bundle).toBeDefined();
    const code = readFileSync(join(out, bundle!), 'utf8');
    expect(code).toMatch(/PushHub = class extends DurableObject/);
    expect(code).toMatch(/export {[^}]*PushHub/);
    expect(code).not.toMatch(/from "node:/);
  });
});
