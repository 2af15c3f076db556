import type { PushSocket } from '../hub/push-socket.ts';
import { emptyStats, sumStats, type HubStats, type StatsShare } from '../hub/sum-stats.ts';
import { refusal, type PushAnswer } from '../hub/push-answer.ts';
import { countsByUid, type AnswerSink, type Push, type PushTarget } from '../hub/push-target.ts';
import type { RouteDone, RoutedPush } from './routed-push.ts';
import { decodeCounts, encodeUidList, FrameType, messageText } from './relay-frame.ts';
import type { RelayNode } from './relay-node.ts';
import type { PushOptions } from '../wire/push-message.ts';

function parseShare(json: string): StatsShare {
  try {
    return JSON.parse(json) as StatsShare;
  } catch {
    // A garbled share counts as an empty process rather than spoiling the whole figures.
    return emptyStats();
  }
}

// Turns a later answer into a promise's, for the callers of push().
class PromiseSink implements AnswerSink {
  resolve: ((answer: PushAnswer) => void) | undefined;
  settle(_tag: number, answer: PushAnswer): void {
    this.resolve!(answer);
  }
}

/**
 * The whole server as one push target, from the process a push landed in: its own sockets first, then
 * the peers that hold the uid (see relay-node.ts). Each push is counted once, here, whichever processes hold
 * the sockets.
 */
export class RelayedTarget<S extends PushSocket = PushSocket> implements PushTarget, RouteDone {
  private readonly node: RelayNode<S>;

  constructor(node: RelayNode<S>) {
    this.node = node;
  }

  push(uid: string, message: string, options?: PushOptions): PushAnswer | Promise<PushAnswer> {
    return this.node.stored.push(uid, message, options?.ttl, options?.id, this.plain) ?? this.plain(uid, message);
  }

  pushTo(uid: string, message: string, options: PushOptions | undefined, sink: AnswerSink, tag: number): PushAnswer | undefined {
    const stored = this.node.stored.push(uid, message, options?.ttl, options?.id, this.plain);
    if (stored === undefined) return this.route(uid, message, sink, tag);
    if (!(stored instanceof Promise)) return stored;
    stored.then((answer) => sink.settle(tag, answer), (error: unknown) => sink.settle(tag, refusal(error instanceof Error ? error.message : String(error))));
    return undefined;
  }

  /** A crossing push's peers have answered: counted once, here, and handed to whoever waits for it. */
  routed(push: RoutedPush, total: number): void {
    push.sink!.settle(push.tag, this.node.tally.push(total));
  }

  // A push that needs no store, for a caller that takes a promise.
  private readonly plain = (uid: string, message: string): PushAnswer | Promise<PushAnswer> => {
    const sink = new PromiseSink();
    return this.route(uid, message, sink, 0) ?? new Promise<PushAnswer>((resolve) => (sink.resolve = resolve));
  };

  // Delivered here at once, so pushes to local sockets keep their order whatever the peers do; answered at
  // once when the directory lists no other holder and a socket here took it, else later through `sink`.
  private route(uid: string, message: string, sink: AnswerSink, tag: number): PushAnswer | undefined {
    const { node } = this;
    const local = node.hub.deliver(uid, message);
    if (node.count === 1) return node.tally.push(local);
    const total = node.route(uid, message, local, this, 0, false, sink, tag);
    return total === undefined ? undefined : node.tally.push(total);
  }

  pushMany(pushes: Push[]): Promise<PushAnswer[]> {
    return Promise.all(pushes.map((p) => this.push(p.uid, p.message, p)));
  }

  broadcast(message: string): Promise<number> {
    const local = this.node.hub.deliverAll(message);
    return this.all(FrameType.broadcast, '', message, (remote) => this.node.tally.broadcast(local + remote));
  }

  online(uid: string): Promise<number> {
    const local = this.node.hub.online(uid);
    return this.all(FrameType.online, uid, '', (remote) => local + remote);
  }

  /** Live connections of each uid: this process's own, plus one request per peer for the whole list. */
  onlineMany(uids: string[]): Promise<Record<string, number>> {
    const counts = uids.map((uid) => this.node.hub.online(uid));
    const answer = () => countsByUid(uids, counts);
    const peers = this.node.peers;
    if (peers.length === 0 || uids.length === 0) return Promise.resolve(answer());
    const list = encodeUidList(uids);
    let left = peers.length;
    return new Promise((resolve) => {
      for (const peer of peers) {
        // A peer that is down answers nothing and counts 0, as for online().
        this.node.outbox.request(peer, FrameType.onlineMany, 0, '', list, (_value, message) => {
          decodeCounts(message, uids.length).forEach((n, i) => (counts[i]! += n));
          if (--left === 0) resolve(answer());
        });
      }
    });
  }

  kick(uid: string, reason?: string): Promise<number> {
    const local = this.node.hub.kick(uid, reason);
    return this.all(FrameType.kick, uid, reason ?? '', (remote) => local + remote);
  }

  async stats(): Promise<HubStats> {
    return sumStats(await this.shares());
  }

  /** Every process's share of the figures, this one's first; a peer that is down is left out, not waited for. */
  shares(): Promise<StatsShare[]> {
    const shares: StatsShare[] = [this.node.share()];
    let left = this.node.peers.length;
    return new Promise((resolve) => {
      if (left === 0) return resolve(shares);
      for (const peer of this.node.peers) {
        this.node.outbox.request(peer, FrameType.stats, 0, '', '', (value, message) => {
          if (value !== undefined && message !== undefined) shares.push(parseShare(messageText(message)));
          if (--left === 0) resolve(shares);
        });
      }
    });
  }

  private all(type: (typeof FrameType)['broadcast' | 'online' | 'kick'], uid: string, message: string, total: (remote: number) => number): Promise<number> {
    return new Promise((resolve) => this.node.outbox.requestAll(this.node.peers, type, uid, message, (n) => resolve(total(n))));
  }
}
