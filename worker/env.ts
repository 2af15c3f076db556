import { ConfigError, limitsFrom, wholeSetting, type PushAppSettings } from '../src/index.ts';
import type { PushHub } from './push-hub.ts';

/** The Worker's bindings and settings (wrangler.toml [vars], secrets, .dev.vars). */
export interface Env {
  PUSH_HUB: DurableObjectNamespace<PushHub>;
  /** Publisher token; without it the push API answers 503. */
  PUSH_TOKEN?: string;
  /** When set (signed mode), clients connect with ?token=<HS256 JWT whose sub is the uid>. */
  CLIENT_SECRET?: string;
  /** How many Durable Objects share the uids; above 1, clients must connect with ?uid=. */
  SHARDS?: string;
  /** Objects one invocation calls at most; past it a broadcast, /stats and /online?uids= fan out in a tree. */
  FAN_OUT?: string;
  /** Close sockets that have not sent `ping` for this long (0, the default, never closes idle sockets). */
  IDLE_TIMEOUT_SECONDS?: string;
  /** Close sockets that send no uid within this long, with 1008 (default 10; 0 = never). */
  IDENTIFY_TIMEOUT_SECONDS?: string;
  MAX_MESSAGE_BYTES?: string;
  MAX_UID_BYTES?: string;
  MAX_CONNECTIONS_PER_UID?: string;
  MAX_BATCH?: string;
  MAX_BATCH_BYTES?: string;
  /** Longest `ttl` a push may ask for, in seconds (default 86400). */
  MAX_TTL_SECONDS?: string;
  /** Seconds every stored push is kept for `?since=` resume (default 120). */
  RETAIN_SECONDS?: string;
  MAX_RETAINED_PER_UID?: string;
  MAX_QUEUED_PER_UID?: string;
  /** Queued pushes per shard: each Durable Object bounds its own SQLite (default 100000). */
  MAX_QUEUED_TOTAL?: string;
  /** Seconds a push `id` is remembered (default 300). */
  IDEMPOTENCY_SECONDS?: string;
  /** Seconds a uid's pushes stay stored after a pushport.v1 client of it last identified (default 86400). */
  MARK_SECONDS?: string;
  /** The live page at GET /dashboard: on (default) or off (404). */
  DASHBOARD?: string;
  /** The first page at GET / (a plain GET; an upgrade still connects): on (default) or off (404). */
  HOME_PAGE?: string;
}

// A uid travels in each socket's attachment, which the runtime caps at 2 KiB.
const maxUidBytesOnEdge = 1024;

// Keyed by the env object itself, so a new deployment (a new env) is read afresh and nothing leaks.
const settingsByEnv = new WeakMap<Env, PushAppSettings>();

/**
 * The HTTP API settings of one `env`, read once and then reused by every request and by the Durable Object.
 * A bad setting throws ConfigError, naming it, each time it is asked for: it is never cached.
 */
export function settingsFor(env: Env): PushAppSettings {
  let settings = settingsByEnv.get(env);
  if (!settings) {
    const limits = limitsFrom(env as unknown as Record<string, unknown>);
    if (limits.maxUidBytes > maxUidBytesOnEdge) {
      throw new ConfigError(`MAX_UID_BYTES must be at most ${maxUidBytesOnEdge} on the edge, got ${limits.maxUidBytes}`);
    }
    settings = { token: env.PUSH_TOKEN || undefined, limits };
    settingsByEnv.set(env, settings);
  }
  return settings;
}

/** How many shards the uids are spread over (SHARDS, default 1). */
export function shardCount(env: Env): number {
  return wholeSetting('SHARDS', env.SHARDS ?? '1', 1, 1024);
}

/** FAN_OUT when unset. */
export const defaultFanOut = 32;

/**
 * How many objects one invocation calls at most (FAN_OUT, default 32): within the Free plan's 50 subrequests
 * with room for the Worker's own calls; Workers Paid allows up to about 9,990, which keeps a tree one level deep.
 */
export function fanOutWidth(env: Env): number {
  return wholeSetting('FAN_OUT', env.FAN_OUT ?? String(defaultFanOut), 2, 10_000_000);
}

/** The idle timeout in milliseconds (IDLE_TIMEOUT_SECONDS; 0 = off). */
export function idleTimeoutMs(env: Env): number {
  return wholeSetting('IDLE_TIMEOUT_SECONDS', env.IDLE_TIMEOUT_SECONDS ?? '0', 0, Number.MAX_SAFE_INTEGER / 1000, 'a whole number of seconds (0 = off)') * 1000;
}
