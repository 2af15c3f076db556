import type { DeliveryAudit, TrackedLine } from '../../scripts/delivery-audit.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Most pushes one stretch of the stream sends, and the whole stream, whatever the test asks. */
const MAX_PUSHES_PER_STRETCH = 1500;
const MAX_PUSHES = 20_000;

/**
 * A steady stream of pushes to uids u0 … u<uids-1> over `lines` text connections of the audit (each push
 * with a unique id, and a ttl when given), reopening any connection the server closes. Bounded in count.
 */
export function textStream(audit: DeliveryAudit, uids: number, options: { lines?: number; ttl?: number } = {}) {
  let running = true;
  let sent = 0;
  const lines: TrackedLine[] = Array.from({ length: options.lines ?? 3 }, () => audit.openLine());
  const done = (async () => {
    while (running && sent < MAX_PUSHES) {
      for (let i = 0; i < lines.length; i++) {
        if (lines[i]!.closed) lines[i] = audit.openLine();
        audit.send(lines[i]!, uids, options.ttl);
        sent++;
      }
      await sleep(2);
    }
  })();
  return {
    /** Streams until `count` more pushes went out (bounded in count and time), then returns. */
    more: async (count: number) => {
      const until = Math.min(sent + count, sent + MAX_PUSHES_PER_STRETCH);
      for (let i = 0; i < 5000 && running && sent < until; i++) await sleep(5);
    },
    stop: async () => {
      running = false;
      await done;
    },
  };
}
