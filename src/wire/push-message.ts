import { defaultLimits } from '../limits.ts';
import { byteLength, checkUid } from './uid.ts';

/** What a push may ask for besides its uid: to wait `ttl` seconds for an offline uid, and an idempotency `id`. */
export interface PushOptions {
  ttl?: number;
  id?: string;
}

/** A parsed push (the uid it names, the exact text to deliver, its options), or the reason it cannot be delivered. */
export type PushParse = ({ ok: true; uid: string; message: string } & PushOptions) | { ok: false; error: string };

/** Longest push `id`, in bytes: enough for a UUID or a hash with a prefix, small enough to remember many. */
export const MAX_ID_BYTES = 128;

/**
 * Reads one push: a JSON object with a string or integer `uid`, and optionally `ttl` (whole seconds, at most
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
  const checked = checkUid(fields.uid, maxUidBytes);
  if ('error' in checked) return { ok: false, error: checked.error };
  // Most pushes carry neither option: two property reads and no new object beyond the answer.
  const { ttl, id } = fields;
  if (ttl === undefined && typeof id !== 'string') return { ok: true, uid: checked.uid, message: text };
  const parsed: PushParse = { ok: true, uid: checked.uid, message: text };
  if (ttl !== undefined) {
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > maxTtlSeconds) {
      return { ok: false, error: `ttl must be a whole number of seconds from 1 to ${maxTtlSeconds}` };
    }
    parsed.ttl = ttl;
  }
  // Only a string is an idempotency key: a backend's own numeric `id` field stays plain message data.
  if (typeof id === 'string') {
    if (id.length === 0 || byteLength(id) > MAX_ID_BYTES) {
      return { ok: false, error: `id must be a non-empty string of at most ${MAX_ID_BYTES} bytes` };
    }
    parsed.id = id;
  }
  return parsed;
}
