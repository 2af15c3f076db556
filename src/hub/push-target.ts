import type { HubStats } from './hub.ts';
import type { PushOptions } from '../wire/push-message.ts';

/** A push that can be delivered: the uid it names, the exact text to deliver, and its ttl and id if any. */
export interface Push extends PushOptions {
  uid: string;
  message: string;
}

/** A push's answer when nobody was online and it waits for its uid, because it has a ttl. */
export const QUEUED = -1;

/** Thrown for a push the server will not take (its uid's queue is full); the message says why. */
export class PushRefused extends Error {
  override name = 'PushRefused';
}

/** Thrown when some parts of the server did not answer, so a sum would be short; the message names them. */
export class PartsMissing extends Error {
  override name = 'PartsMissing';
}

/**
 * What the HTTP API pushes into. In the emulator it is the local hub (through the process relay);
 * on the edge it is the Durable Object stubs. Each count is of connections reached.
 */
export interface PushTarget {
  /**
   * Delivers to every connection of one uid: the count reached, or QUEUED; throws PushRefused. A local hub
   * answers at once, without a promise.
   */
  push(uid: string, message: string, options?: PushOptions): number | Promise<number>;
  /** Delivers many pushes, answering each in order: a count, QUEUED, or the reason it was refused. */
  pushMany(pushes: Push[]): Promise<(number | string)[]>;
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
