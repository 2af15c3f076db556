/** A push's answer when nobody was online and it waits for its uid, because it has a ttl. */
export const QUEUED = -1;

/** A push the server would not take (its uid's queue is full): nothing was kept, and the reason says why. */
export interface PushRefusal {
  readonly refused: string;
}

/**
 * A push's answer, returned and never thrown: the connections it reached (0: nobody online), QUEUED, or a
 * refusal. A plain push answers a number, so answering it allocates nothing. It becomes bytes only in a relay
 * frame (answerFrame in relay-frame.ts); Durable Object RPC carries it as it is.
 */
export type PushAnswer = number | PushRefusal;

/** The answer for a push the server would not take, with the reason a backend can act on. */
export function refusal(reason: string): PushRefusal {
  return { refused: reason };
}

/** Whether an answer is a refusal rather than a count or QUEUED. */
export function isRefusal(answer: PushAnswer): answer is PushRefusal {
  return typeof answer !== 'number';
}
