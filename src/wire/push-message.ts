import { defaultLimits } from '../limits.ts';
import { checkGroup } from './group-name.ts';
import { byteLength, checkUid } from './uid.ts';

/** What a push may ask for besides its uid: to wait `ttl` seconds for an offline uid, and an idempotency `id`. */
export interface PushOptions {
  ttl?: number;
  id?: string;
}

/** A parsed push to one uid: the uid it names, the exact text to deliver, its options. */
export type UidPushParse = { ok: true; uid: string; group?: undefined; message: string } & PushOptions;

/** A parsed push to a group (a line with no uid and a string `group`): the group, the exact text, a uid to leave out. */
export type GroupPushParse = { ok: true; uid?: undefined; group: string; except?: string; message: string } & PushOptions;

/** A parsed push to a uid or to a group, or the reason it cannot be delivered. */
export type PushParse = UidPushParse | GroupPushParse | { ok: false; error: string };

/** Longest push `id`, in bytes: enough for a UUID or a hash with a prefix, small enough to remember many. */
export const MAX_ID_BYTES = 128;

/**
 * Reads one push: a JSON object with a string or integer `uid` (or, without a uid, a string `group` and an
 * optional `except` uid), and optionally `ttl` (whole seconds, at most
 * `maxTtlSeconds`) and `id` (a string; an `id` of another type is the backend's own data and is left alone). The message delivered is the text exactly as received, not a
 * re-serialisation, so clients see the bytes the backend sent.
 */
export function parsePush(text: string, maxUidBytes: number, maxTtlSeconds = defaultLimits.maxTtlSeconds): PushParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: text.trim() === '' ? 'empty push' : 'invalid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'push must be a JSON object with a uid' };
  }
  const fields = value as Record<string, unknown>;
  // No uid and a string group: a push to a group. A line with a uid stays a uid push whatever else it carries.
  if (fields.uid === undefined && typeof fields.group === 'string') return parseGroupPush(text, fields, maxUidBytes, maxTtlSeconds);
  const checked = checkUid(fields.uid, maxUidBytes);
  if ('error' in checked) return { ok: false, error: checked.error };
  // Most pushes carry neither option: two property reads and no new object beyond the answer.
  const { ttl, id } = fields;
  if (ttl === undefined && typeof id !== 'string') return { ok: true, uid: checked.uid, message: text };
  const parsed: UidPushParse = { ok: true, uid: checked.uid, message: text };
  const error = readOptions(fields, parsed, maxTtlSeconds);
  return error === undefined ? parsed : { ok: false, error };
}

// A group push: its name by the uid rules, and an optional `except` uid that does not get it.
function parseGroupPush(text: string, fields: Record<string, unknown>, maxUidBytes: number, maxTtlSeconds: number): PushParse {
  const checked = checkGroup(fields.group, maxUidBytes);
  if ('error' in checked) return { ok: false, error: checked.error };
  const parsed: GroupPushParse = { ok: true, group: checked.group, message: text };
  if (fields.except !== undefined) {
    const except = checkUid(fields.except, maxUidBytes);
    if ('error' in except) return { ok: false, error: `except: ${except.error}` };
    parsed.except = except.uid;
  }
  const error = readOptions(fields, parsed, maxTtlSeconds);
  return error === undefined ? parsed : { ok: false, error };
}

// Copies a valid ttl and id onto `into`; answers why one is invalid.
function readOptions(fields: Record<string, unknown>, into: PushOptions, maxTtlSeconds: number): string | undefined {
  const { ttl, id } = fields;
  if (ttl !== undefined) {
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > maxTtlSeconds) {
      return `ttl must be a whole number of seconds from 1 to ${maxTtlSeconds}`;
    }
    into.ttl = ttl;
  }
  // Only a string is an idempotency key: a backend's own numeric `id` field stays plain message data.
  if (typeof id === 'string') {
    if (id.length === 0 || byteLength(id) > MAX_ID_BYTES) return `id must be a non-empty string of at most ${MAX_ID_BYTES} bytes`;
    into.id = id;
  }
  return undefined;
}
