/** The value at percentile `p` (0–100) of values sorted ascending, by nearest rank; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50 and p99 of some latencies in ms, rounded to µs; null when there are none (JSON has no NaN). */
export function latencySummary(values: ArrayLike<number>): { p50Ms: number | null; p99Ms: number | null } {
  const sorted = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  const at = (p: number) => (sorted.length === 0 ? null : round(percentile(sorted, p), 3));
  return { p50Ms: at(50), p99Ms: at(99) };
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
