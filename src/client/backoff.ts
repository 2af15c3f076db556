/**
 * How long to wait before reconnect attempt number `attempt` (0 first): full jitter between `minMs` and a cap that
 * doubles per failed attempt up to `maxMs`, so a thousand clients dropped together do not return together.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, minMs * 2 ** (attempt + 1));
  return Math.round(minMs + random() * Math.max(0, cap - minMs));
}
