import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/index.ts';
import { edgeSetup } from '../../worker/edge-setup.ts';
import { settingsFor, type Env } from '../../worker/env.ts';
import { PushHub } from '../../worker/push-hub.ts';
import { ShardedTarget } from '../../worker/sharded-target.ts';
import { client, post } from './helpers.ts';

const bindings = env as unknown as Env;

describe('edge setup', () => {
  it('reads settings and builds the shard target once per env', () => {
    const first = edgeSetup(bindings);
    expect(edgeSetup(bindings)).toBe(first);
    expect(edgeSetup(bindings).target).toBe(first.target);
    expect(first.settings.token).toBe('test-token');
    // The Durable Object reads the same cached settings, without building a shard target.
    expect(settingsFor(bindings)).toBe(first.settings);
    // A different env (another deployment's bindings) is read afresh.
    const other = edgeSetup({ ...bindings, MAX_UID_BYTES: '64' });
    expect(other.target).not.toBe(first.target);
    expect(other.settings.limits.maxUidBytes).toBe(64);
  });

  it('serves every request with the one target the cache holds', async () => {
    const pushes = vi.spyOn(ShardedTarget.prototype, 'push');
    try {
      await client('cached-setup');
      expect((await post('/push', '{"uid":"cached-setup"}')).json).toEqual({ ok: true, delivered: 1 });
      expect((await post('/push', '{"uid":"cached-setup"}')).json).toEqual({ ok: true, delivered: 1 });
      expect(pushes.mock.contexts).toHaveLength(2);
      expect(pushes.mock.contexts[0]).toBe(pushes.mock.contexts[1]);
      expect(pushes.mock.contexts[0]).toBe(edgeSetup(bindings).target);
    } finally {
      pushes.mockRestore();
    }
  });

  it('refuses a bad setting every time, naming it, and never caches it', () => {
    const bad = { ...bindings, MAX_UID_BYTES: '4096' };
    expect(() => edgeSetup(bad)).toThrow(ConfigError);
    expect(() => edgeSetup(bad)).toThrow(/MAX_UID_BYTES must be at most 1024 on the edge/);
    expect(() => settingsFor(bad)).toThrow(/MAX_UID_BYTES must be at most 1024 on the edge/);
  });

  it('the Durable Object applies the edge uid cap the Worker applies', async () => {
    const stub = env.PUSH_HUB.get(env.PUSH_HUB.idFromName('edge-cap-check'));
    const made = await runInDurableObject(stub, (_, state) => {
      try {
        new PushHub(state, { ...bindings, MAX_UID_BYTES: '2048' });
        return 'constructed';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
    expect(made).toMatch(/MAX_UID_BYTES must be at most 1024 on the edge, got 2048/);
  });
});
