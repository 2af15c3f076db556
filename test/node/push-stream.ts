import type { PushportClient } from '../../src/index.ts';

/** One push of a stream: its number (its message is `{"n": n}`), its uid, and its answer once it came. */
export interface StreamedPush {
  n: number;
  uid: string;
  answer?: number | 'error';
  /** Why it failed, when it did. */
  error?: string;
}

/** A running stream of pushes, as a backend sends them through a restart. */
export interface PushStream {
  pushes: StreamedPush[];
  /** Resolves once `count` more pushes have been sent (or after 30 s). */
  sent(count: number): Promise<void>;
  /** Stops sending and resolves when the loop has ended. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ten pushes a tick (one batch request through a batching client), each to the uid `pick(k)` chooses for the k-th
 * push of its tick, with the options `options(n)` gives; bounded to `rounds` ticks.
 */
export function startPushStream(backend: PushportClient, pick: (k: number) => string,
  options: (n: number) => { ttl?: number; id?: string }, rounds = 3000): PushStream {
  const pushes: StreamedPush[] = [];
  let running = true;
  const loop = (async () => {
    for (let round = 0; running && round < rounds; round++) {
      for (let k = 0; k < 10; k++) {
        const push: StreamedPush = { n: pushes.length, uid: pick(k) };
        pushes.push(push);
        backend.push(push.uid, { n: push.n }, options(push.n)).then((a) => (push.answer = a), (error: unknown) => {
          push.answer = 'error';
          push.error = String(error);
        });
      }
      await sleep(20);
    }
  })();
  return {
    pushes,
    async sent(count) {
      const until = pushes.length + count;
      for (let i = 0; i < 3000 && pushes.length < until; i++) await sleep(10);
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
