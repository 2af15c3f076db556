import type { AnswerSink } from '../hub/push-target.ts';
import type { PeerOutbox } from './peer-outbox.ts';
import { FrameType } from './relay-frame.ts';

/** Told once when a routed push's peers have all answered (or were lost), with the connections reached in all. */
export interface RouteDone {
  routed(push: RoutedPush, total: number): void;
}

/** What a routed push uses of the relay node that routes it. */
export interface RouteHost {
  readonly outbox: PeerOutbox;
  readonly peers: readonly number[];
}

/**
 * One push on its way to the peers that may hold its uid: one object per crossing push, which PeerOutbox
 * hands each peer's count to (no closure or promise per push). When every peer it asked said none and the
 * origin reached nobody, it asks the peers it has not asked yet before it reports 0 (see relay-node.ts).
 */
export class RoutedPush {
  /** Where the answer goes, and the tag its asker gave it (e.g. the text line's slot). */
  readonly sink: AnswerSink | undefined;
  readonly tag: number;
  private readonly host: RouteHost;
  private readonly done: RouteDone;
  private readonly uid: string;
  private readonly message: string | Uint8Array;
  private readonly local: number;
  // The directory was complete: a total of 0 from the peers it listed is checked with the rest.
  private askRest: boolean;
  private readonly seq: number;
  private asked: readonly number[];
  private left = 0;
  private sum = 0;
  // Still inside start(): a total reached now is returned rather than reported.
  private inline = true;
  private total: number | undefined;

  constructor(host: RouteHost, done: RouteDone, uid: string, message: string | Uint8Array, local: number,
    askRest: boolean, seq: number, asked: readonly number[], sink?: AnswerSink, tag = 0) {
    this.host = host;
    this.done = done;
    this.uid = uid;
    this.message = message;
    this.local = local;
    this.askRest = askRest;
    this.seq = seq;
    this.asked = asked;
    this.sink = sink;
    this.tag = tag;
  }

  /** Sends the requests; returns the total when no peer had to be asked, else undefined (RouteDone is told). */
  start(): number | undefined {
    this.ask(this.asked);
    this.inline = false;
    return this.total;
  }

  /** A peer's count, or undefined for a peer that was lost before it answered (it counts 0). */
  gathered(n: number | undefined): void {
    if (n !== undefined) this.sum += n;
    if (--this.left === 0) this.next();
  }

  private ask(peers: readonly number[]): void {
    this.left = peers.length;
    if (peers.length === 0) return this.next();
    const type = this.seq > 0 ? FrameType.deliverSeq : FrameType.deliver;
    for (let i = 0; i < peers.length; i++) this.host.outbox.request(peers[i]!, type, this.seq, this.uid, this.message, this);
  }

  private next(): void {
    const total = this.local + this.sum;
    if (total > 0 || !this.askRest) return this.finish(total);
    this.askRest = false;
    const asked = this.asked;
    this.asked = this.host.peers.filter((p) => !asked.includes(p));
    this.ask(this.asked);
  }

  private finish(total: number): void {
    if (this.inline) this.total = total;
    else this.done.routed(this, total);
  }
}
