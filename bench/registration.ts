import type { BenchServer } from './bench-server.ts';
import { pause, type Deadline } from './deadline.ts';
import { RawWsPool, type PoolMode } from './raw-ws-pool.ts';
import { TextClient } from './text-client.ts';

/** How registering went: time until every uid answered `ok`, and the clients that never got there. */
export interface Registration {
  registrationMs: number;
  identified: number;
  connectFailures: number;
  firstConnectError?: string;
  timedOut: boolean;
}

const RETRY_PAUSE_MS = 20;

/**
 * Opens `size` raw clients `u<first>…` and waits until each uid is known to the server, asked the only way both
 * servers understand: a push to every uid through the text port, again for those answered `fail`, until all are
 * `ok`. The probes carry run tag 0, which no scenario uses, so their arrivals never count anywhere.
 */
export async function register(server: BenchServer, size: number, first: number, deadline: Deadline, mode: PoolMode = 'first-message'): Promise<{ pool: RawWsPool; registration: Registration }> {
  const started = performance.now();
  const pool = await RawWsPool.open(server.port, size, first, deadline, mode);
  const waiting = await untilAnswered(server, Array.from({ length: size }, (_, i) => first + i), 'ok', deadline);
  return {
    pool,
    registration: {
      registrationMs: performance.now() - started, identified: size - waiting, connectFailures: pool.failed,
      ...(pool.firstError ? { firstConnectError: pool.firstError } : {}), timedOut: waiting > 0,
    },
  };
}

/** Closes a pool's clients and waits until the server has let go of every one (a push to each answers `fail`); false if it had not by the deadline. */
export async function unregister(server: BenchServer, pool: RawWsPool, deadline: Deadline): Promise<boolean> {
  pool.close();
  return (await untilAnswered(server, Array.from({ length: pool.size }, (_, i) => pool.first + i), 'fail', deadline)) === 0;
}

// Pushes to uids `u<n>` until each is answered `want`, again for the others after a pause; returns how many never were.
async function untilAnswered(server: BenchServer, uids: number[], want: 'ok' | 'fail', deadline: Deadline): Promise<number> {
  let waiting = uids;
  const text = await TextClient.open(server.textPort);
  try {
    // Bounded in count by the pauses that fit in the deadline.
    const maxRounds = Math.ceil(deadline.remainingMs() / RETRY_PAUSE_MS) + 1;
    for (let round = 0; round < maxRounds && waiting.length > 0 && !deadline.passed() && !text.closed; round++) {
      const asked = waiting;
      const other: number[] = [];
      let answered = 0;
      await new Promise<void>((done) => {
        const timer = setTimeout(done, deadline.remainingMs());
        text.onReply = (reply) => {
          if (reply !== want) other.push(asked[answered]!);
          if (++answered === asked.length) {
            clearTimeout(timer);
            done();
          }
        };
        text.write(asked.map((uid) => `{"uid":"u${uid}","r":0}\n`).join(''));
      });
      waiting = answered === asked.length ? other : [...other, ...asked.slice(answered)];
      if (waiting.length > 0) await pause(RETRY_PAUSE_MS, deadline);
    }
  } finally {
    text.close();
  }
  return waiting.length;
}
