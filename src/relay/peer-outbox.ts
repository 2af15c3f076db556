import { oncePerTick, type Schedule } from '../coalesce.ts';
import { PendingRing, type Waiter } from './pending-ring.ts';
import { encodeFrames, frame, FrameType, type FrameKind, type RelayFrame } from './relay-frame.ts';

/** How one process reaches its peers; the runtime supplies it (unix sockets, or memory in tests). */
export interface RelayLinks {
  /** This process's index. */
  readonly self: number;
  /** How many processes the server has. */
  readonly count: number;
  /** Sends requests and presence on this process's link to a peer, in order; false when it is down now. */
  send(peer: number, bytes: Uint8Array): boolean;
  /** Sends answers back on the peer's link to this process, the one its requests came on. */
  reply(peer: number, bytes: Uint8Array): boolean;
  /**
   * When a tick's frames go out (default: a microtask). A runtime that holds its sockets' frames for later
   * sends its relay frames after them: an answer that counts a delivery must not leave before the delivery.
   */
  readonly schedule?: Schedule;
}

export type { AnswerHandler, Gatherer } from './pending-ring.ts';

// Hands a waiter its answer (undefined: the peer went away first).
function hand(answer: Waiter, value: number | undefined, message?: string | Uint8Array): void {
  if (typeof answer === 'function') answer(value, message);
  else answer.gathered(value);
}

/**
 * What this process has to say to each peer in the current tick, sent as one buffer per peer when the tick
 * ends, and the requests still waiting for an answer. Presence changes of one tick are coalesced per uid
 * (the last one wins) and go before the tick's other frames.
 */
export class PeerOutbox {
  private readonly links: RelayLinks;
  private readonly frames: RelayFrame[][];
  private readonly replies: RelayFrame[][];
  private readonly presence: Map<string, boolean>[];
  // Requests waiting for an answer, in a ring indexed by their running number (see request): no object per request.
  private readonly pending = new PendingRing();
  private age = 0;
  // Every queue of this tick goes out together when the tick ends.
  private readonly schedule: () => void;

  constructor(links: RelayLinks) {
    this.links = links;
    this.schedule = oncePerTick(() => this.flush(), links.schedule);
    this.frames = Array.from({ length: links.count }, () => []);
    this.replies = Array.from({ length: links.count }, () => []);
    this.presence = Array.from({ length: links.count }, () => new Map());
  }

  /** Queues a frame that gets no answer. */
  post(peer: number, f: RelayFrame): void {
    this.frames[peer]!.push(f);
    this.schedule();
  }

  /** Queues an answer to a peer's request. */
  reply(peer: number, f: RelayFrame): void {
    this.replies[peer]!.push(f);
    this.schedule();
  }

  /** Queues a request; `answer` is called once, with the answer or with `undefined` if the peer is lost. */
  request(peer: number, type: FrameKind, value: number, uid: string, message: string | Uint8Array, answer: Waiter): void {
    this.post(peer, frame(type, this.pending.add(peer, this.age, answer), value, uid, message));
  }

  /** Asks several peers the same thing; `done` gets the sum of their counts (a peer lost before it answered counts 0). */
  requestAll(peers: readonly number[], type: FrameKind, uid: string, message: string | Uint8Array,
    done: (sum: number) => void, value = 0): void {
    let left = peers.length;
    let sum = 0;
    if (left === 0) return done(0);
    for (const peer of peers) {
      this.request(peer, type, value, uid, message, (n) => {
        if (n !== undefined) sum += n;
        if (--left === 0) done(sum);
      });
    }
  }

  /** Records that a uid appeared in or left this process, for a peer's directory. */
  tellPresence(peer: number, uid: string, here: boolean): void {
    this.presence[peer]!.set(uid, here);
    this.schedule();
  }

  /** A peer answered request `id`. */
  answered(from: number, id: number, value: number, message: Uint8Array | string): void {
    const answer = this.pending.take(from, id);
    if (answer !== undefined) hand(answer, value, message);
  }

  /** A peer is gone (or came back as a new process): what it was asked will never be answered. */
  failPeer(peer: number): void {
    for (const answer of this.pending.takeAll((p) => p === peer)) hand(answer, undefined);
  }

  /** Gives up on requests older than the previous call: the runtime calls it on a timer. */
  expire(): void {
    for (const answer of this.pending.takeAll(() => true, this.age)) hand(answer, undefined);
    this.age++;
  }

  /** Sends what this tick queued, one buffer per peer. */
  flush(): void {
    for (let peer = 0; peer < this.links.count; peer++) {
      const replies = this.replies[peer]!;
      if (replies.length > 0) {
        // An answer that cannot go back is lost with the link; the asker counts that peer out.
        this.links.reply(peer, encodeFrames(replies));
        replies.length = 0;
      }
      const presence = this.presence[peer]!;
      const queued = this.frames[peer]!;
      if (presence.size === 0 && queued.length === 0) continue;
      const out: RelayFrame[] = [];
      for (const [uid, here] of presence) out.push(frame(here ? FrameType.here : FrameType.left, 0, 0, uid));
      for (const f of queued) out.push(f);
      presence.clear();
      queued.length = 0;
      if (!this.links.send(peer, encodeFrames(out))) this.failPeer(peer);
    }
  }
}
