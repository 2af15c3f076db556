import type { PushAppSettings } from '../src/index.ts';
import { fanOutWidth, settingsFor, shardCount, type Env } from './env.ts';
import { ShardedGroups } from './sharded-groups.ts';
import { ShardedTarget } from './sharded-target.ts';

/** What the edge derives from its bindings: the same for every request that shares one `env`. */
export interface EdgeSetup {
  settings: PushAppSettings;
  shards: number;
  target: ShardedTarget;
  groups: ShardedGroups;
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
    const target = new ShardedTarget(env.PUSH_HUB, shards, fanOutWidth(env));
    setup = { settings: settingsFor(env), shards, target, groups: new ShardedGroups(target) };
    setups.set(env, setup);
  }
  return setup;
}
