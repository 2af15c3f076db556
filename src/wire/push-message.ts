import { checkUid } from './uid.ts';

/** A parsed push (the uid it names and the exact text to deliver), or the reason it cannot be delivered. */
export type PushParse = { ok: true; uid: string; message: string } | { ok: false; error: string };

/**
 * Reads one push: a JSON object with a string or integer `uid`. The message delivered is the text exactly
 * as received, not a re-serialisation, so clients see the bytes the backend sent.
 */
export function parsePush(text: string, maxUidBytes: number): PushParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: text.trim() === '' ? 'empty push' : 'invalid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'push must be a JSON object with a uid' };
  }
  const checked = checkUid((value as Record<string, unknown>).uid, maxUidBytes);
  if ('error' in checked) return { ok: false, error: checked.error };
  return { ok: true, uid: checked.uid, message: text };
}
