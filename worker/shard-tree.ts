/**
 * The fan-out tree behind a broadcast, /stats, /metrics and /online?uids= on the edge. One invocation may call
 * only so many objects (its subrequest limit), so a caller splits the objects it must reach (a list of object
 * indices, in order) into at most `width` contiguous parts and calls the first object of each part with the
 * whole part; that object serves itself, then does the same with the rest of its part. Every object is called
 * exactly once, no invocation makes more than `width` calls, and the depth is ⌈log_width N⌉ (at least 1).
 */

/** A contiguous run of object indices: `from` included, `to` excluded. */
export interface Span {
  from: number;
  to: number;
}

/** What a fan-out gathered: the answers merged in object order, and each part that did not answer, with why. */
export interface Gathered<T> {
  value: T;
  missing: string[];
}

/** Splits `count` positions into at most `width` contiguous runs, in order, whose lengths differ by at most one. */
export function splitCount(count: number, width: number): Span[] {
  const parts = Math.min(count, Math.max(1, width));
  const runs: Span[] = [];
  for (let i = 0, from = 0; i < parts; i++) {
    const to = from + Math.floor(count / parts) + (i < count % parts ? 1 : 0);
    runs.push({ from, to });
    from = to;
  }
  return runs;
}

/** A span split into at most `width` contiguous parts; each is called at its first object. */
export function splitSpan(span: Span, width: number): Span[] {
  return splitCount(span.to - span.from, width).map((run) => ({ from: span.from + run.from, to: span.from + run.to }));
}

/** A list split the same way (the objects holding some uids, say): contiguous slices, in order. */
export function splitList<T>(list: readonly T[], width: number): T[][] {
  return splitCount(list.length, width).map((run) => list.slice(run.from, run.to));
}

/** What is left of a span once its first object has served itself. */
export function restOf(span: Span): Span {
  return { from: span.from + 1, to: span.to };
}

/** How a span is named in an error: `shard 4`, `shards 4–7`. */
export function spanName(span: Span): string {
  return span.to - span.from === 1 ? `shard ${span.from}` : `shards ${span.from}–${span.to - 1}`;
}

/** How a list of object indices is named in an error: all of them while few, else the first and last. */
export function listName(indices: readonly number[]): string {
  if (indices.length === 1) return `shard ${indices[0]}`;
  if (indices.length <= 4) return `shards ${indices.join(', ')}`;
  return `${indices.length} shards from ${indices[0]} to ${indices[indices.length - 1]}`;
}

// An error that crossed RPC keeps its message but not its class; anything else is shown as it is.
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls every part at once and merges their answers after `own`, in part order. A part whose call fails is
 * named in `missing` with its reason (and whatever its own parts missed is passed on), so a sum is never
 * silently short: the caller at the top decides what a missing part means.
 */
export async function gather<P, T>(
  own: T,
  parts: readonly P[],
  call: (part: P) => Promise<Gathered<T>>,
  merge: (sum: T, part: T) => T,
  name: (part: P) => string,
): Promise<Gathered<T>> {
  const settled = await Promise.allSettled(parts.map(async (part) => call(part)));
  let value = own;
  const missing: string[] = [];
  settled.forEach((answer, i) => {
    if (answer.status === 'fulfilled') {
      value = merge(value, answer.value.value);
      missing.push(...answer.value.missing);
    } else {
      missing.push(`${name(parts[i]!)} did not answer (${reasonOf(answer.reason)})`);
    }
  });
  return { value, missing };
}
