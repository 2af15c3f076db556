import type { Hub } from '../hub/hub.ts';
import type { PushSocket } from '../hub/push-socket.ts';
import { PushTally } from '../hub/push-tally.ts';
import type { StatsShare } from '../hub/sum-stats.ts';
import { PeerOutbox, type RelayLinks } from './peer-outbox.ts';
import { decodeUidList, frame, FrameType, messageText, type RelayFrame } from './relay-frame.ts';
import { UidDirectory } from './uid-directory.ts';
import { StoredRelay } from './stored-relay.ts';
import { RoutedPush, type RouteDone } from './routed-push.ts';
import type { AnswerSink } from '../hub/push-target.ts';

/*
 * Routing a push between the processes of one server.
 *
 * Every process keeps a directory of the other processes' uids: which peers hold at least one identified
 * socket of each. A process tells every peer "here" when its first socket of a uid identifies and "left"
 * when its last one closes, coalesced per tick.
 *
 * A push that lands in process A for uid u is delivered to A's own sockets at once, then sent straight to
 * the peers A's directory lists for u, which deliver and answer with their counts. Frames per push: 0 when
 * no other process holds u, 2 per holder otherwise (A→holder→A). With clients spread evenly over `count`
 * processes, a push crosses for (count − 1) / count of the uids. Every process holds the whole directory,
 * about a map entry per remote uid, so that a push goes straight to its holders.
 *
 * The race: process P identifies a socket of u, and a push for u lands in A before P's "here" reached A.
 * A cannot know, so it never concludes "nobody" from its directory alone: whenever a push would be answered
 * `fail` (nobody reached, A included), A first asks every peer it has not asked yet. P answers from its own
 * registry, which already holds the socket, so a socket identified before the push arrived is reached, and
 * `fail` means that every live process said "none". The cost is one round to all peers for a push to a uid
 * that is offline, and nothing for a push that reaches someone. (test/src/relay/relay-race.test.ts plays
 * these orderings; relay-routing.test.ts pushes to sockets the moment they answer a ping, at count 4, and
 * fails without this rule.) What the directory can still miss: a second tab of u that identified in P less
 * than one relay trip before the push, while u is already online elsewhere, may miss that push, which is
 * answered `ok` with the count it really reached, as if it had come a moment earlier (a pushport.v1 tab does
 * not: it reads its backlog only once the home has its "here", see StoredRelay.welcome). For the same reason,
 * while a uid moves between processes, two pushes to it may arrive in a different order than they were sent.
 *
 * Restarts: a process that (re)connects to a peer announces every uid it holds, then says "synced". A
 * process drops a peer's entries when that peer's link dies or it says hello anew. Until every peer has said
 * "synced" (just started, or a peer is restarting), a process sends each push to every peer rather than
 * trust a directory it knows is incomplete, and a peer it cannot reach counts as none. Answers go back on
 * the link the request came on, so they never wait for the other direction to be (re)made.
 *
 * Stored pushes (a ttl, an id, v1 clients) go through a home process, homeOf(uid), which numbers them in
 * order (stored-relay.ts), and then route as above.
 */

/** Something else that rides on the relay (groups): RelayNode hands it the frames it does not handle itself. */
export interface RelayExtension {
  /** A frame of the extension's own types. */
  receive(from: number, f: RelayFrame): void;
  /** A link to a peer was (re)made: announce this process's state, before it says "synced". */
  linkUp(peer: number): void;
  /** A peer reset: forget what it announced. */
  peerReset(peer: number): void;
  /** The local registry saw a uid's first socket identify (`here`) or its last one close. */
  uidChanged(uid: string, here: boolean): void;
}

/**
 * One process's end of the relay: answers what peers ask, keeps the directory of the peers' uids, and routes
 * the pushes that land here. The runtime feeds it frames and link events.
 */
export class RelayNode<S extends PushSocket = PushSocket> {
  /** This process's sockets. */
  readonly hub: Hub<S>;
  /** Counts each push once, in the process it landed in. */
  readonly tally = new PushTally();
  /** This process's index. */
  readonly self: number;
  /** How many processes the server has. */
  readonly count: number;
  /** What goes out to the peers this tick, and the requests waiting for answers. */
  readonly outbox: PeerOutbox;
  /** Stored pushes (ttl, id, resume): the store and the routing through each uid's home. */
  readonly stored: StoredRelay<S>;
  /** Called when a peer's link changes (synced, reset, down): what it could not send here meanwhile is stored. */
  onLinkChange: ((peer: number) => void) | undefined;
  /** What else rides on the relay (groups): its frames, its state announced to a peer, a peer forgotten. */
  extension: RelayExtension | undefined;
  private readonly directory = new UidDirectory();
  private readonly synced: boolean[];
  private syncedPeers = 0;
  /** Bumped when a peer resets, so an answer owed to its previous link is not sent on the new one. */
  private readonly epochs: number[];
  private readonly allPeers: number[];
  // Work waiting until a peer can reach this process (see whenReachedBy), and the expiry round it began in.
  private readonly reachWaiters: { peer: number; age: number; then: () => void }[] = [];
  private age = 0;

  constructor(hub: Hub<S>, links: RelayLinks) {
    this.hub = hub;
    this.self = links.self;
    this.count = links.count;
    this.outbox = new PeerOutbox(links);
    this.synced = new Array<boolean>(links.count).fill(false);
    this.epochs = new Array<number>(links.count).fill(0);
    this.allPeers = Array.from({ length: links.count }, (_, i) => i).filter((i) => i !== links.self);
    this.stored = new StoredRelay(this);
  }

  /** The local registry saw a uid's first socket identify (`here`) or its last one close. */
  readonly uidChanged = (uid: string, here: boolean): void => {
    for (const peer of this.allPeers) this.outbox.tellPresence(peer, uid, here);
    this.extension?.uidChanged(uid, here);
  };

  /** A link to a peer was (re)made: tell it every uid this process holds. */
  linkUp(peer: number): void {
    for (const uid of this.hub.registry.uids()) this.outbox.tellPresence(peer, uid, true);
    this.extension?.linkUp(peer);
    this.outbox.post(peer, frame(FrameType.synced));
  }

  /** The link to a peer broke: what it was asked will not be answered. */
  linkDown(peer: number): void {
    this.outbox.failPeer(peer);
    this.release((w) => w.peer === peer);
    this.onLinkChange?.(peer);
  }

  /** A peer (re)introduced itself, or its link into this process died: its entries here are stale. */
  peerReset(peer: number): void {
    this.directory.removeProcess(peer);
    this.extension?.peerReset(peer);
    if (this.synced[peer]) this.syncedPeers--;
    this.synced[peer] = false;
    this.epochs[peer]!++;
    this.outbox.failPeer(peer);
    // A hello means its link here is up; a dead link, that waiting cannot help.
    this.release((w) => w.peer === peer);
    this.onLinkChange?.(peer);
  }

  /**
   * Calls `then` once `peer` can send to this process (it said "synced" on its link here): at once in the usual
   * case; otherwise when it does, when it resets or its link goes down, or at the latest after two `expire`s.
   */
  whenReachedBy(peer: number, then: () => void): void {
    if (this.synced[peer]) return then();
    this.reachWaiters.push({ peer, age: this.age, then });
  }

  /** Gives up on what waited too long, requests and waits alike: the runtime calls it on a timer. */
  expire(): void {
    this.outbox.expire();
    this.release((w) => w.age < this.age);
    this.age++;
  }

  /** Handles one frame from a peer. */
  receive(from: number, f: RelayFrame): void {
    switch (f.type) {
      case FrameType.here:
        return this.directory.add(f.uid, from);
      case FrameType.left:
        return this.directory.remove(f.uid, from);
      case FrameType.synced:
        if (!this.synced[from]) this.syncedPeers++;
        this.synced[from] = true;
        this.onLinkChange?.(from);
        return this.release((w) => w.peer === from);
      case FrameType.deliver:
        return this.answer(from, f.id, this.deliverHere(f.uid, f.message, 0));
      case FrameType.broadcast:
        this.tally.broadcast(0);
        return this.answer(from, f.id, this.hub.deliverAll(messageText(f.message)));
      case FrameType.online:
        return this.answer(from, f.id, this.hub.online(f.uid));
      case FrameType.kick:
        return this.answer(from, f.id, this.hub.kick(f.uid, messageText(f.message) || undefined));
      case FrameType.onlineMany: {
        const counts = decodeUidList(f.message).map((uid) => this.hub.online(uid));
        return this.outbox.reply(from, frame(FrameType.answer, f.id, 0, '', JSON.stringify(counts)));
      }
      case FrameType.stats:
        return this.outbox.reply(from, frame(FrameType.answer, f.id, 0, '', JSON.stringify(this.share())));
      case FrameType.answer:
        return this.outbox.answered(from, f.id, f.value, f.message);
      case FrameType.deliverSeq:
        return this.answer(from, f.id, this.deliverHere(f.uid, f.message, f.value));
      case FrameType.durable:
      case FrameType.mark: {
        const epoch = this.epochs[from];
        return this.stored.receive(from, f, () => this.epochs[from] === epoch);
      }
      default:
        return this.extension?.receive(from, f);
    }
  }

  /**
   * Routes a push: delivers here unless the origin here did already (`local`, what it reached), forwards to
   * the holders the directory lists, and asks everyone else before a total of 0 (see the comment above). A
   * stored push has its `seq` (and no process has delivered it yet); `everyone` skips the directory. A peer
   * that cannot be asked (its link is down, as while a process restarts) counts 0. Returns the total when no
   * peer had to be asked; otherwise `done` is told later, with the push (its `sink` and `tag`).
   */
  route(uid: string, message: string | Uint8Array, local: number | undefined, done: RouteDone,
    seq = 0, everyone = false, sink?: AnswerSink, tag = 0): number | undefined {
    local ??= this.deliverHere(uid, message, seq);
    const sure = this.directoryComplete && !everyone;
    const holders = sure ? this.directory.holdersOf(uid) : this.allPeers;
    if (holders.length === 0 && local > 0) return local;
    return new RoutedPush(this, done, uid, message, local, sure, seq, holders, sink, tag).start();
  }

  /** Whether every peer has announced its uids here since it (re)connected: until then pushes go to all. */
  get directoryComplete(): boolean {
    return this.syncedPeers === this.count - 1;
  }

  /** Every peer. */
  get peers(): readonly number[] {
    return this.allPeers;
  }

  /** What a runtime adds to this process's share (its index, its latency histogram): plain JSON data. */
  shareExtra?: () => object;

  /** This process's share of the whole-server figures. */
  share(): StatsShare {
    return { ...this.hub.registry.counts(), ...this.tally.counters, uidList: [...this.hub.registry.uids()], ...this.shareExtra?.() };
  }

  private deliverHere(uid: string, message: string | Uint8Array, seq: number): number {
    // Decode the bytes only when a socket here will send them.
    if (typeof message !== 'string' && this.hub.online(uid) === 0) return 0;
    const text = typeof message === 'string' ? message : messageText(message);
    return seq > 0 ? this.hub.deliverSeq(uid, text, seq) : this.hub.deliver(uid, text);
  }

  private release(which: (waiter: { peer: number; age: number }) => boolean): void {
    if (this.reachWaiters.length === 0) return;
    const due = this.reachWaiters.filter(which);
    if (due.length === 0) return;
    this.reachWaiters.splice(0, Infinity, ...this.reachWaiters.filter((w) => !which(w)));
    for (const w of due) w.then();
  }

  private answer(to: number, id: number, value: number): void {
    this.outbox.reply(to, frame(FrameType.answer, id, value));
  }
}
