/** The size and count limits every target enforces, with the same names everywhere. */
export interface Limits {
  /** Largest push or broadcast message, in bytes (MAX_MESSAGE_BYTES). */
  maxMessageBytes: number;
  /** Longest uid, in bytes (MAX_UID_BYTES). */
  maxUidBytes: number;
  /** Live connections one uid may hold; a new one past this closes the oldest (MAX_CONNECTIONS_PER_UID). */
  maxConnectionsPerUid: number;
  /** Most pushes in one batch request (MAX_BATCH). */
  maxBatch: number;
  /** Largest batch request body, in bytes (MAX_BATCH_BYTES). */
  maxBatchBytes: number;
  /** Seconds a WebSocket may stay connected without a uid before it is closed with 1008; 0 = never (IDENTIFY_TIMEOUT_SECONDS). */
  identifyTimeoutSeconds: number;
  /** Longest `ttl` a push may ask for, in seconds (MAX_TTL_SECONDS). */
  maxTtlSeconds: number;
  /** Seconds every stored push is kept for resume with `since`, at least (RETAIN_SECONDS). */
  retainSeconds: number;
  /** Stored pushes kept per uid for resume; the oldest that is not queued goes first (MAX_RETAINED_PER_UID). */
  maxRetainedPerUid: number;
  /** Pushes waiting for one offline uid (MAX_QUEUED_PER_UID). */
  maxQueuedPerUid: number;
  /** Pushes waiting for all offline uids together (MAX_QUEUED_TOTAL). */
  maxQueuedTotal: number;
  /** Seconds a push `id` is remembered, so a retry is answered like the first and not delivered again (IDEMPOTENCY_SECONDS). */
  idempotencySeconds: number;
  /** Seconds a uid keeps its pushes stored after a `pushport.v1` client of it last identified (MARK_SECONDS). */
  markSeconds: number;
  /** Groups one uid may belong to; a join past it is refused (MAX_GROUPS_PER_UID). */
  maxGroupsPerUid: number;
  /** Members one group may have; a join past it is refused (MAX_GROUP_MEMBERS). */
  maxGroupMembers: number;
}

/**
 * Defaults that suit a browser push server: 1 MiB messages, 32 tabs per uid, 1,000-push batches, 10 s to identify,
 * stored pushes kept two minutes for resume (100 per uid), queues of 100 per uid, ids remembered five minutes, and
 * groups of up to 100,000 members with at most 100 groups per uid.
 */
export const defaultLimits: Readonly<Limits> = Object.freeze({
  maxMessageBytes: 1024 * 1024,
  maxUidBytes: 256,
  maxConnectionsPerUid: 32,
  maxBatch: 1000,
  maxBatchBytes: 8 * 1024 * 1024,
  identifyTimeoutSeconds: 10,
  maxTtlSeconds: 86_400,
  retainSeconds: 120,
  maxRetainedPerUid: 100,
  maxQueuedPerUid: 100,
  maxQueuedTotal: 100_000,
  idempotencySeconds: 300,
  markSeconds: 86_400,
  maxGroupsPerUid: 100,
  maxGroupMembers: 100_000,
});

const settingNames: Record<keyof Limits, string> = {
  maxMessageBytes: 'MAX_MESSAGE_BYTES',
  maxUidBytes: 'MAX_UID_BYTES',
  maxConnectionsPerUid: 'MAX_CONNECTIONS_PER_UID',
  maxBatch: 'MAX_BATCH',
  maxBatchBytes: 'MAX_BATCH_BYTES',
  identifyTimeoutSeconds: 'IDENTIFY_TIMEOUT_SECONDS',
  maxTtlSeconds: 'MAX_TTL_SECONDS',
  retainSeconds: 'RETAIN_SECONDS',
  maxRetainedPerUid: 'MAX_RETAINED_PER_UID',
  maxQueuedPerUid: 'MAX_QUEUED_PER_UID',
  maxQueuedTotal: 'MAX_QUEUED_TOTAL',
  idempotencySeconds: 'IDEMPOTENCY_SECONDS',
  markSeconds: 'MARK_SECONDS',
  maxGroupsPerUid: 'MAX_GROUPS_PER_UID',
  maxGroupMembers: 'MAX_GROUP_MEMBERS',
};

// Every limit is a positive whole number, except the ones for which 0 means "off".
const zeroIsOff = new Set<keyof Limits>(['identifyTimeoutSeconds']);

/** Thrown for a setting that cannot be used; the message names the setting and the bad value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads one whole-number setting (a string or a number); throws ConfigError `NAME must be <rule>, got "raw"`. */
export function wholeSetting(name: string, raw: unknown, min: number, max: number, rule = `a whole number from ${min} to ${max}`): number {
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be ${rule}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Reads an on/off setting (on, true, 1 / off, false, 0; unset or empty is on); throws ConfigError naming anything else. */
export function switchSetting(name: string, raw: unknown): boolean {
  const value = raw === undefined ? '' : String(raw).trim().toLowerCase();
  if (['', 'on', 'true', '1'].includes(value)) return true;
  if (['off', 'false', '0'].includes(value)) return false;
  throw new ConfigError(`${name} must be on or off, got ${JSON.stringify(raw)}`);
}

/** Reads limits from environment-style settings (strings), falling back to the defaults; throws ConfigError. */
export function limitsFrom(settings: Readonly<Record<string, unknown>>): Limits {
  const limits: Limits = { ...defaultLimits };
  for (const key of Object.keys(settingNames) as (keyof Limits)[]) {
    const name = settingNames[key];
    const raw = settings[name];
    if (raw === undefined || raw === '') continue;
    limits[key] = zeroIsOff.has(key)
      ? wholeSetting(name, raw, 0, 86_400, 'a whole number of seconds from 0 (off) to 86400')
      : wholeSetting(name, raw, 1, Number.MAX_SAFE_INTEGER, 'a positive whole number');
  }
  return limits;
}

/** The close reason (with code 1008) for a socket that sent no uid within IDENTIFY_TIMEOUT_SECONDS, on every runtime. */
export function identifyTimeoutReason(seconds: number): string {
  return `identify timeout: send your uid as the first message within ${seconds} s`;
}
