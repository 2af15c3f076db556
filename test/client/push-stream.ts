import { PushportClient, QUEUED } from '../../src/index.ts';
import { waitFor } from '../support/poll.ts';

/** One push of the stream: its `n` and how the server answered (undefined while in flight). */
export type StreamPush = { n: number; answer?: 'ok' | 'queued' | 'fail' | 'error' };

/** Most pushes one stream sends, whatever the test asks. */
const MAX_PUSHES = 2000;
/** Longest a push may take: a push to a server that died mid-request counts as an error, never hangs the stream. */
const PUSH_TIMEOUT_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A backend pushing `{"uid":…,"n":…,"ttl":60}` to one uid over HTTP, one push at a time, `gapMs` apart (slow
 * enough that a few seconds offline stay within the server's retention of 100 pushes per uid).
 */
export function pushStream(url: string, token: string, uid: string, gapMs = 100) {
  const boundedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) });
  const client = new PushportClient({ url, token, fetch: boundedFetch });
  const pushes: StreamPush[] = [];
  let running = true;
  const done = (async () => {
    while (running && pushes.length < MAX_PUSHES) {
      const push: StreamPush = { n: pushes.length };
      pushes.push(push);
      try {
        const reached = await client.push(uid, { n: push.n }, { ttl: 60 });
        push.answer = reached === QUEUED ? 'queued' : reached > 0 ? 'ok' : 'fail';
      } catch {
        // A refusal, or no answer (the server went away mid-request): not accepted, though it may still arrive.
        push.answer = 'error';
      }
      await sleep(gapMs);
    }
  })();
  return {
    pushes,
    /** The `n` of every push answered ok or queued. */
    accepted: (from = 0, to = pushes.length) =>
      pushes.slice(from, to).filter((p) => p.answer === 'ok' || p.answer === 'queued').map((p) => p.n),
    /** Waits until `count` more pushes were answered (bounded by time). */
    more: async (count: number) => {
      const until = pushes.length + count;
      await waitFor(() => pushes.length > until, `${count} more pushes`, 60_000);
    },
    stop: async () => {
      running = false;
      await done;
    },
  };
}
