import { checkUid } from './uid.ts';

/** A group name that passed the checks, or the reason it did not. */
export type GroupCheck = { group: string } | { error: string };

/**
 * Checks a group name: a non-empty string of at most `maxBytes` UTF-8 bytes (MAX_UID_BYTES), by the rules a uid
 * follows, so the names a backend already uses for uids work for groups too.
 */
export function checkGroup(value: unknown, maxBytes: number): GroupCheck {
  if (typeof value !== 'string') return { error: value === undefined ? 'missing group' : 'group must be a string' };
  const checked = checkUid(value, maxBytes);
  return 'error' in checked ? { error: checked.error.replace(/^uid/, 'group') } : { group: checked.uid };
}
