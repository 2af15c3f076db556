import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/free-port.ts';

describe('freePort in a parallel test worker', () => {
  it('picks from its own block below the ephemeral range, never twice in a row, and skips a port a listener holds', async () => {
    const worker = Number(process.env.VITEST_POOL_ID);
    expect(worker).toBeGreaterThan(0);
    const block = 14_000 + (worker - 1) * 2000;
    const first = await freePort();
    // Held by a listener (as a server of another test would hold it), the next port is passed over.
    const held = createServer();
    const heldPort = first + 1 < block + 2000 ? first + 1 : block;
    await new Promise<void>((done) => held.listen(heldPort, '127.0.0.1', done));
    try {
      const picks = [first, await freePort(), await freePort()];
      for (const port of picks) expect(port).toBeGreaterThanOrEqual(block), expect(port).toBeLessThan(block + 2000);
      expect(new Set(picks).size).toBe(3);
      expect(picks).not.toContain(heldPort);
    } finally {
      held.close();
    }
  });
});
