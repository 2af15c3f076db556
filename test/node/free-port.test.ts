import { describe, expect, it } from 'vitest';
import { freePort, portRange } from '../../scripts/free-port.ts';

describe('freePort in a parallel test worker', () => {
  it("picks from its worker's own block below the ephemeral range, and never the same port twice", async () => {
    const { first, end } = portRange();
    expect(Number(process.env.VITEST_POOL_ID)).toBeGreaterThan(0);
    expect(first).toBeGreaterThanOrEqual(10_000);
    // A block, not the whole range below the ephemeral one: another worker's block holds none of these ports.
    expect(end - first).toBeLessThan(4000);
    const picks = await Promise.all(Array.from({ length: 60 }, () => freePort()));
    for (const port of picks) expect(port >= first && port < end, `${port} in ${first}-${end}`).toBe(true);
    expect(new Set(picks).size).toBe(picks.length);
  });
});
