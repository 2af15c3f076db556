/**
 * The process that keeps a uid's directory entry: FNV-1a (32-bit) over the uid's UTF-16 code units, mod
 * `count`. Pure arithmetic on the string, so every process agrees without sharing anything.
 */
export function homeOf(uid: string, count: number): number {
  if (count <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < uid.length; i++) {
    hash ^= uid.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}
