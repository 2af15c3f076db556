import type { PushAnswer } from './push-answer.ts';
import type { HubStats } from './sum-stats.ts';
import type { PushOptions } from '../wire/push-message.ts';

/** A push that can be delivered: the uid it names, the exact text to deliver, and its ttl and id if any. */
export interface Push extends PushOptions {
  uid: string;
  message: string;
}

/** Thrown when some parts of the server did not answer, so a sum would be short; the message names them. */
export class PartsMissing extends Error {
  override name = 'PartsMissing';
}

/** Where an answer that comes later goes, with the tag its asker chose: no promise or closure per push. */
export interface AnswerSink {
  settle(tag: number, answer: PushAnswer): void;
}

/**
 * What the HTTP API pushes into. In the emulator it is the local hub (through the process relay);
 * on the edge it is the Durable Object stubs. Each count is of connections reached.
 */
export interface PushTarget {
  /**
   * Delivers to every connection of one uid: the count reached, QUEUED, or a refusal. A local hub answers at
   * once, without a promise.
   */
  push(uid: string, message: string, options?: PushOptions): PushAnswer | Promise<PushAnswer>;
  /**
   * As `push`, for a caller that pushes many (the text port): an answer that comes later goes to
   * `sink.settle(tag, answer)`, and undefined is returned. Optional: a target without it is asked with `push`.
   */
  pushTo?(uid: string, message: string, options: PushOptions | undefined, sink: AnswerSink, tag: number): PushAnswer | undefined;
  /** Delivers many pushes, answering each in order as `push` does. */
  pushMany(pushes: Push[]): Promise<PushAnswer[]>;
  /** Delivers to every identified connection. */
  broadcast(message: string): Promise<number>;
  /** Live connections of one uid. */
  online(uid: string): Promise<number>;
  /** Live connections of each uid, keyed by uid, asked in one go (one relay frame per peer, one call per shard). */
  onlineMany(uids: string[]): Promise<Record<string, number>>;
  /** Closes every connection of one uid. */
  kick(uid: string, reason?: string): Promise<number>;
  /** Whole-server figures. */
  stats(): Promise<HubStats>;
}

/**
 * The answer of onlineMany from counts in list order. Built with fromEntries so that a uid such as
 * `__proto__` is an ordinary key, not the object's prototype.
 */
export function countsByUid(uids: readonly string[], counts: readonly number[]): Record<string, number> {
  return Object.fromEntries(uids.map((uid, i) => [uid, counts[i] ?? 0]));
}
