/** A uid that passed the checks, or the reason it did not. */
export type UidCheck = { uid: string } | { error: string };

/**
 * UTF-8 size of a string, the unit every byte limit is counted in, counted without encoding it (nothing is
 * allocated). A lone surrogate counts 3 bytes: TextEncoder writes it as U+FFFD.
 */
export function byteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
      continue;
    }
    // A surrogate pair is one code point of 4 bytes: 2 more than its 2 units.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2;
        i++;
        continue;
      }
    }
    bytes += 2;
  }
  return bytes;
}

/**
 * Checks a uid as a push names it: a non-empty string, or an integer (`123` reaches `"123"`, as PHP's
 * array keys do in the reference).
 */
export function checkUid(value: unknown, maxUidBytes: number): UidCheck {
  if (typeof value === 'number') {
    // A float or an integer JSON could not carry exactly would silently reach the wrong uid.
    if (!Number.isSafeInteger(value)) return { error: 'uid must be a string or a safe integer' };
    return { uid: String(value) };
  }
  if (typeof value !== 'string') {
    return { error: value === undefined ? 'missing uid' : 'uid must be a string or an integer' };
  }
  if (value.length === 0) return { error: 'uid is empty' };
  // A UTF-16 unit is at most 3 UTF-8 bytes: most uids are checked without encoding them.
  if (value.length * 3 > maxUidBytes && byteLength(value) > maxUidBytes) return { error: `uid is longer than ${maxUidBytes} bytes` };
  return { uid: value };
}
