import { parsePush, type PushParse } from './push-message.ts';
import { byteLength } from './uid.ts';

/**
 * Splits newline-delimited text into lines: `\n` ends a line, a `\r` before it is dropped, and the
 * newline after the last line is optional.
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

// Blank lines carry no push: a batch built by joining lines often has one at the end or between groups.
const isBlank = (line: string) => line.trim() === '';

/**
 * Parses a batch, one push per line; a bad line gets its own error and spoils nothing else. Blank lines are
 * skipped: they get no result and do not count toward MAX_BATCH.
 */
export function parseBatch(text: string, limits: { maxUidBytes: number; maxMessageBytes: number; maxTtlSeconds?: number }): PushParse[] {
  const parsed: PushParse[] = [];
  for (const line of splitLines(text)) {
    if (isBlank(line)) continue;
    // A UTF-16 unit is at most 3 UTF-8 bytes: most lines are within the limit without counting.
    parsed.push(line.length * 3 > limits.maxMessageBytes && byteLength(line) > limits.maxMessageBytes
      ? { ok: false, error: `push is larger than ${limits.maxMessageBytes} bytes` }
      : parsePush(line, limits.maxUidBytes, limits.maxTtlSeconds));
  }
  return parsed;
}
