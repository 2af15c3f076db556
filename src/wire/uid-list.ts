import { checkUid } from './uid.ts';

/** The uids of a `?uids=a,b,c` query, or the reason they were refused. */
export type UidListParse = { uids: string[] } | { error: string };

/**
 * Reads `uids` from a raw query string (`?uids=a,b%2Cc`). The commas are split before decoding, so a uid
 * with a comma in it travels as `%2C`; `+` reads as a space, as in any form-encoded query.
 */
export function parseUidList(search: string, maxUids: number, maxUidBytes: number): UidListParse {
  const query = search.startsWith('?') ? search.slice(1) : search;
  const params = query.split('&').filter((p) => p === 'uids' || p.startsWith('uids='));
  if (params.length === 0) return { error: 'missing ?uids=: list the uids, comma-separated and URL-encoded' };
  if (params.length > 1) return { error: 'uids is given more than once: send one comma-separated list' };
  const raw = params[0]!.slice('uids='.length);
  if (raw === '') return { error: 'uids is empty: list at least one uid' };
  const parts = raw.split(',');
  if (parts.length > maxUids) return { error: `uids lists ${parts.length} uids; at most ${maxUids} (MAX_BATCH)` };
  const uids: string[] = [];
  for (const [i, part] of parts.entries()) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return { error: `uid ${i + 1} of uids is not valid URL encoding` };
    }
    const checked = checkUid(decoded, maxUidBytes);
    if ('error' in checked) return { error: `uid ${i + 1} of uids: ${checked.error}` };
    uids.push(checked.uid);
  }
  return { uids };
}
