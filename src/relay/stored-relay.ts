import type { Hub } from '../hub/hub.ts';
import type { PushSocket } from '../hub/push-socket.ts';
import { refusal, type PushAnswer } from '../hub/push-answer.ts';
import type { PushTally } from '../hub/push-tally.ts';
import type { DurablePushes } from '../mailbox/durable-pushes.ts';
import type { Mailbox, StoredPush } from '../mailbox/mailbox.ts';
import { homeOf } from './home-of.ts';
import { nowOrLater } from './now-or-later.ts';
import type { PeerOutbox } from './peer-outbox.ts';
import type { RouteDone } from './routed-push.ts';
import { answerFrame, answerOf, frame, FrameType, messageText, type RelayFrame } from './relay-frame.ts';
import { splitId, withId } from './stored-id.ts';

/*
 * Stored pushes between the processes of one server (a ttl, an id, or a uid with pushport.v1 clients).
 * The uid's home stores each one (its seq comes from the shared store, in one transaction) before it is
 * delivered, then routes it as any push, with its seq, so that every process sends it to v1 clients as
 * `<seq> <message>` and a socket that has it already is not sent it twice. One process storing and sending
 * in order keeps a uid's seqs in order on every link. If the home cannot be reached (it is restarting),
 * the process the push landed in stores it itself and asks every process: the store hands out seqs
 * atomically, so nothing is lost, though that push may overtake one still on its way through the old home.
 * A client whose socket identifies reads what waits for it from the store directly (welcome).
 */

// A push that crosses to its home without an id gets one of ours: if the home stores it and dies before it
// answers, the store knows it when this process stores it itself, and it is sent again with its first seq
// rather than stored twice. The NUL keeps ours apart from a backend's.
const ownIds = `\u0000${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.`;
let ownCount = 0;

/** What stored routing uses of its process's relay node (RelayNode is one). */
export interface StoredRelayHost<S extends PushSocket> {
  readonly hub: Hub<S>;
  readonly tally: PushTally;
  readonly self: number;
  readonly count: number;
  readonly peers: readonly number[];
  readonly outbox: PeerOutbox;
  /** Routes a push as RelayNode.route does. */
  route(uid: string, message: string, local: number | undefined, done: RouteDone, seq: number, everyone: boolean): number | undefined;
  /** Calls `then` once `peer` can send here. */
  whenReachedBy(peer: number, then: () => void): void;
}

/** A push that goes through no store: the plain routing. */
export type PlainPush = (uid: string, message: string) => PushAnswer | Promise<PushAnswer>;

/**
 * One process's stored routing: the store (opened on first need), the pushes that go through it, the stored
 * frames peers send, and the backlog of a socket that identifies. RelayNode hands it the `durable` and
 * `mark` frames; a plain push asks it first, so that it never overtakes a stored push to the same uid.
 */
export class StoredRelay<S extends PushSocket = PushSocket> {
  private readonly node: StoredRelayHost<S>;
  private opened: DurablePushes | undefined;
  private opener: (() => DurablePushes) | undefined;
  // The last stored push of each uid that is stored here but not routed yet (its commit is pending).
  private readonly unrouted = new Map<string, Promise<void>>();

  constructor(node: StoredRelayHost<S>) {
    this.node = node;
  }

  /** Where the runtime has a store: how to open it, on first need (a server that never stores never pays for it). */
  storeIn(open: () => DurablePushes): void {
    this.opener = open;
  }

  /** The store if it is open. */
  get store(): DurablePushes | undefined {
    return this.opened;
  }

  /** The store, opened now if it is not yet; undefined where the runtime has none. */
  openStore(): DurablePushes | undefined {
    return (this.opened ??= this.opener?.());
  }

  /**
   * Pushes from the process it landed in, when it must go through the store or wait for a stored push to the
   * same uid (then `plain` routes it, once that one is routed). Undefined, the usual case, for a push the
   * caller routes plainly now.
   */
  push(uid: string, message: string, ttl: number | undefined, id: string | undefined, plain: PlainPush): PushAnswer | Promise<PushAnswer> | undefined {
    // A ttl or an id needs the store; otherwise only a store already open can matter.
    const store = ttl !== undefined || id !== undefined ? this.openStore() : this.opened;
    if (store === undefined) return undefined;
    if (store.needed(uid, ttl, id)) return this.pushStored(uid, message, ttl, id);
    // A stored push to this uid is about to go out: this one follows it, not overtakes it.
    const ahead = this.unrouted.get(uid);
    return ahead?.then(() => this.push(uid, message, undefined, undefined, plain) ?? plain(uid, message));
  }

  /** Handles the stored-push frames a peer sends: a push to store as the uid's home, or a uid's mark. */
  receive(from: number, f: RelayFrame, current: () => boolean): void {
    const store = this.openStore();
    if (f.type === FrameType.mark) return store?.mailbox.learnMark(f.uid, f.value * 1000);
    const send = (answer: PushAnswer) => {
      if (current()) this.node.outbox.reply(from, answerFrame(f.id, answer));
    };
    if (!store) return send(refusal('this process cannot store pushes'));
    const { id, message } = splitId(messageText(f.message));
    // A store that fails answers as a refusal: the origin learns why, and nothing was taken.
    const refuse = (error: unknown) => send(refusal(error instanceof Error ? error.message : String(error)));
    try {
      const result = this.storeAndRoute(store, f.uid, message, f.value || undefined, id, false);
      if (result instanceof Promise) result.then(send, refuse);
      else send(result);
    } catch (error) {
      refuse(error);
    }
  }

  /**
   * A socket of `uid` just identified here: marks the uid for a v1 client (and tells the peers), then sends
   * what the store holds for it (its queue, or everything after `since`) before anything live. A v1 socket's
   * live pushes wait in the hub meanwhile (its resume window). Here it is registered at once; in another
   * process it is registered once the uid's home has this process's "here" (see below), and only then is its
   * backlog read: a push the home stores before that is in the backlog, one it stores after is routed here.
   */
  welcome(socket: S, uid: string, since: number | undefined): void {
    const { node } = this;
    // A store that fails (it cannot be opened, read or marked) closes a v1 socket, whose client resumes from its
    // own seq, rather than leave its live pushes waiting for a backlog that never comes; the error goes on.
    const failed = (error: unknown): never => {
      if (socket.v1) node.hub.abandonBacklog(socket);
      throw error;
    };
    let mailbox: Mailbox | undefined;
    try {
      // A v1 client needs the store; a plain one only if it is open (see push-server: opened once anything is stored).
      mailbox = (socket.v1 ? this.openStore() : this.opened)?.mailbox;
      if (mailbox && socket.v1 && mailbox.mark(uid)) {
        const until = Math.ceil(mailbox.markedUntil(uid) / 1000);
        for (const peer of node.peers) node.outbox.post(peer, frame(FrameType.mark, 0, until, uid));
      }
    } catch (error) {
      return failed(error);
    }
    if (!mailbox) return node.hub.sendBacklog(socket, []);
    const read = () => {
      // Closed meanwhile: its queue stays for the next client.
      if (node.hub.registry.uidOf(socket) !== uid) return;
      let backlog: StoredPush[];
      try {
        backlog = mailbox.backlog(uid, socket.v1 ? since : undefined);
      } catch (error) {
        return failed(error);
      }
      node.hub.sendBacklog(socket, backlog, socket.v1 ? since : undefined);
    };
    const home = homeOf(uid, node.count);
    if (!socket.v1 || home === node.self) return read();
    // A tick's presence goes before its requests on the one ordered link, so the home answers this only once it
    // has this process's "here" for the uid. A home that is down answers nothing: the pushes are then stored by
    // the processes they land in, which send them to every process, this one included. A home that answers but
    // cannot reach this process yet (one of the two has just started) queues what it stores meanwhile: the
    // backlog is read once it can.
    node.outbox.request(home, FrameType.online, 0, uid, '', (value) => (value === undefined ? read() : node.whenReachedBy(home, read)));
  }

  // Sends a stored push to its uid's home (or stores it here, at home); answers a count, QUEUED or a refusal.
  private pushStored(uid: string, message: string, ttl: number | undefined, backendId: string | undefined): PushAnswer | Promise<PushAnswer> {
    const { node } = this;
    const home = homeOf(uid, node.count);
    if (home === node.self) return this.counted(this.storeAndRoute(this.opened!, uid, message, ttl, backendId, false));
    const id = backendId ?? `${ownIds}${++ownCount}`;
    return new Promise<PushAnswer>((resolve, reject) => {
      node.outbox.request(home, FrameType.durable, ttl ?? 0, uid, withId(id, message), (value, reply) => {
        if (value !== undefined) return resolve(node.tally.push(answerOf(value, reply)));
        // The home is down or restarting: store it here and ask every process.
        try {
          resolve(this.counted(this.storeAndRoute(this.opened!, uid, message, ttl, id, true)));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  // Stores the push (or finds the answer of its id) and routes it with its seq; no process has delivered it yet.
  private storeAndRoute(store: DurablePushes, uid: string, message: string, ttl: number | undefined,
    id: string | undefined, everyone: boolean): PushAnswer | Promise<PushAnswer> {
    let routed = false;
    let gate: Promise<void> | undefined;
    let open: (() => void) | undefined;
    const answer = store.push(uid, message, ttl, id, (seq) => {
      routed = true;
      open?.();
      return nowOrLater((done) => {
        const total = this.node.route(uid, message, undefined, { routed: (_push, n) => done(n) }, seq, everyone);
        if (total !== undefined) done(total);
      });
    });
    if (!routed && answer instanceof Promise) {
      // Routed once the store commits it: plain pushes to the uid wait until then (see push).
      gate = new Promise<void>((resolve) => (open = () => {
        if (this.unrouted.get(uid) === gate) this.unrouted.delete(uid);
        resolve();
      }));
      this.unrouted.set(uid, gate);
      answer.then(open, open);
    }
    return answer;
  }

  private counted(answer: PushAnswer | Promise<PushAnswer>): PushAnswer | Promise<PushAnswer> {
    return answer instanceof Promise ? answer.then((a) => this.node.tally.push(a)) : this.node.tally.push(answer);
  }
}
