import type { Push, PushOptions } from '../src/index.ts';

/**
 * Pushes as they travel to an object over RPC: a column of uids and one of messages, and the options of the
 * few pushes that have any, by position. RPC copies two lists of strings for less than an object per push.
 */
export interface PushColumns {
  uids: string[];
  messages: string[];
  /** Absent when no push of the batch has a ttl or an id. */
  options?: Array<PushOptions | null>;
}

/** The pushes at `positions`, in that order, as columns; only `ttl` and `id` travel as options. */
export function columnsOf(pushes: readonly Push[], positions: readonly number[]): PushColumns {
  const uids = new Array<string>(positions.length);
  const messages = new Array<string>(positions.length);
  let options: Array<PushOptions | null> | undefined;
  for (let k = 0; k < positions.length; k++) {
    const push = pushes[positions[k]!]!;
    uids[k] = push.uid;
    messages[k] = push.message;
    if (push.ttl === undefined && push.id === undefined) continue;
    options ??= new Array<PushOptions | null>(positions.length).fill(null);
    options[k] = push.id === undefined ? { ttl: push.ttl } : push.ttl === undefined ? { id: push.id } : { ttl: push.ttl, id: push.id };
  }
  return options ? { uids, messages, options } : { uids, messages };
}
