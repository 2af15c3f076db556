import type { PushAppSettings } from '../src/index.ts';
import { fanOutWidth, settingsFor, shardCount, type Env } from './env.ts';
import { ShardedTarget } from './sharded-target.ts';

/** What the edge derives from its bindings: the same for every request that shares one `env`. */
export interface EdgeSetup {
  settings: PushAppSettings;
  shards: number;
  target: ShardedTarget;
}

// Keyed by the env object itself, so a new deployment (a new env) is read afresh and nothing leaks.
const setups = new WeakMap<Env, EdgeSetup>();

/**
 * The settings and shard target for one `env`, built once and then reused by every request. A bad setting
 * throws ConfigError each time it is asked for, so it is never cached.
 */
export function edgeSetup(env: Env): EdgeSetup {
  let setup = setups.get(env);
  if (!setup) {
    const shards = shardCount(env);
    setup = { settings: settingsFor(env), shards, target: new ShardedTarget(env.PUSH_HUB, shards, fanOutWidth(env)) };
    setups.set(env, setup);
  }
  return setup;
}
