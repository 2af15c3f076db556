import type { Limits } from '../limits.ts';
import { byteLength } from '../wire/uid.ts';
import { formatV1Frame } from '../wire/v1-frame.ts';
import { CloseCode, type PushSocket } from './push-socket.ts';
import type { UidRegistry } from './registry.ts';
import { fillSeqGap, type ReadStoredBetween } from './seq-gap.ts';

/** The limits the hub itself enforces. */
export type HubLimits = Pick<Limits, 'maxUidBytes' | 'maxConnectionsPerUid' | 'maxMessageBytes'>;

// One fan-out's running count, and its v1 frame once the first v1 socket needs it.
interface FanOut {
  delivered: number;
  v1Text: string | undefined;
}

/**
 * The uid → connections hub: holds the registry and delivers to it (identify, deliver, broadcast, kick,
 * online). It counts nothing: the layer that knows a push's whole answer counts it (see PushTally).
 */
export class Hub<S extends PushSocket = PushSocket> {
  /** Where the connections live (memory, or hibernation-aware on the edge). */
  readonly registry: UidRegistry<S>;
  private readonly limits: HubLimits;
  /**
   * pushport.v1 sockets between their identify and the end of their backlog (`sendBacklog`), with what came
   * for them live meanwhile, in order: registered before the backlog is read, so nothing stored between the
   * two falls into neither, and written after it.
   */
  private readonly resuming = new Map<string, { seq: number; message: string }[]>();
  /**
   * Where a runtime whose pushes can reach a socket out of seq order (several processes, one store) lets the
   * hub read the seqs a socket missed, before the push that skipped them (see fillSeqGap).
   */
  readStoredBetween: ReadStoredBetween | undefined;

  constructor(registry: UidRegistry<S>, limits: HubLimits) {
    this.registry = registry;
    this.limits = limits;
  }

  /** A new connection, not identified yet. */
  connect(socket: S): void {
    this.registry.add(socket);
  }

  /**
   * A message from a client. The first one is its uid (the reference's protocol); later ones are ignored,
   * since a client has nothing else to say. Returns the uid when this message identified the socket.
   */
  receive(socket: S, data: string | ArrayBuffer | Uint8Array): string | undefined {
    // A runtime whose transport does not bound a client's messages (the edge's) gets the bound here.
    const max = this.limits.maxMessageBytes;
    if (typeof data === 'string' ? data.length > max / 3 && byteLength(data) > max : data.byteLength > max) {
      this.drop(socket, CloseCode.tooBig, `message larger than ${max} bytes`);
      return undefined;
    }
    if (this.registry.uidOf(socket) !== undefined) return undefined;
    if (typeof data !== 'string') {
      this.drop(socket, CloseCode.unsupportedData, 'the first message must be your uid, as text');
      return undefined;
    }
    return this.identify(socket, data) ? data : undefined;
  }

  /** Gives a connection its uid; a bad uid closes the connection with the reason. */
  identify(socket: S, uid: string): boolean {
    if (uid.length === 0) return this.drop(socket, CloseCode.policy, 'uid is empty');
    if (byteLength(uid) > this.limits.maxUidBytes) {
      return this.drop(socket, CloseCode.policy, `uid is longer than ${this.limits.maxUidBytes} bytes`);
    }
    const current = this.registry.uidOf(socket);
    if (current !== undefined) return current === uid;
    // Past the per-uid limit the oldest tab goes: it is the likeliest to be stale, and a new tab must work.
    const held = this.registry.socketsOf(uid);
    for (let i = 0; i <= held.length - this.limits.maxConnectionsPerUid; i++) {
      this.drop(held[i]!, CloseCode.policy, 'too many connections for this uid; the oldest was closed');
    }
    this.registry.add(socket);
    this.registry.bind(socket, uid);
    // Its live pushes wait for its backlog: whoever identifies a v1 socket must call sendBacklog, if only with [].
    if (socket.v1) this.resuming.set(socket.id, []);
    return true;
  }

  /** A connection has closed; forget it. */
  disconnect(socket: S): void {
    this.registry.remove(socket);
    if (this.resuming.size > 0) this.resuming.delete(socket.id);
  }

  /**
   * Sends a message to every live connection of a uid; returns how many it reached. A push that is not stored
   * reaches v1 clients with seq 0.
   */
  deliver(uid: string, message: string): number {
    let delivered = 0;
    const sockets = this.registry.socketsOf(uid);
    for (let i = 0; i < sockets.length; i++) {
      const socket = sockets[i]!;
      if (socket.v1 ? this.sendFrame(socket, 0, message) : socket.send(message)) delivered++;
    }
    return delivered;
  }

  /** Sends a stored push once to each socket: `<seq> <message>` to v1 clients, the message to the others. */
  deliverSeq(uid: string, message: string, seq: number): number {
    let delivered = 0;
    const sockets = this.registry.socketsOf(uid);
    for (let i = 0; i < sockets.length; i++) if (this.sendFrame(sockets[i]!, seq, message)) delivered++;
    return delivered;
  }

  /**
   * Sends a client what was stored for it (its backlog) before anything live, in seq order; ends a v1 socket's
   * resume window. What came live for it meanwhile joins the backlog in seq order (a push delivered that way
   * is no longer queued, so a backlog without `since` may lack it), each seq once; pushes that were not stored
   * (seq 0) follow. `since`, the seq the client resumed after, is what it has: a later gap is counted from it.
   */
  sendBacklog(socket: S, pushes: readonly { seq: number; message: string }[], since?: number): void {
    const held = this.resuming.get(socket.id);
    if (held) this.resuming.delete(socket.id);
    if (since !== undefined && since > (socket.lastSeq ?? 0)) socket.lastSeq = since;
    const stored = held ? [...pushes, ...held.filter((p) => p.seq > 0)].sort((a, b) => a.seq - b.seq) : pushes;
    for (const push of stored) this.sendFrame(socket, push.seq, push.message);
    if (held) for (const push of held) if (push.seq === 0) this.sendFrame(socket, 0, push.message);
  }

  /**
   * A v1 socket whose backlog cannot be read (the store failed) is closed, and its resume window ends with it:
   * held there, its live pushes would count as reached and never go out. Its client resumes from its own seq.
   */
  abandonBacklog(socket: S): void {
    this.drop(socket, CloseCode.internalError, 'the store of pushes cannot be read now; resume later');
  }

  /**
   * Sends each socket every stored push past its last seq, in order: a process that could not reach this one
   * (it was restarting) answered its pushes `queued` and they wait in the store, while these sockets stay
   * connected. Sockets in their resume window get them with their backlog; a socket sent nothing stored yet
   * has no seq to count from.
   */
  catchUp(): void {
    const read = this.readStoredBetween;
    if (!read) return;
    for (const socket of this.registry.identified()) {
      const uid = this.registry.uidOf(socket);
      if ((socket.lastSeq ?? 0) === 0 || uid === undefined || this.resuming.has(socket.id)) continue;
      fillSeqGap(socket, uid, Number.MAX_SAFE_INTEGER, read);
    }
  }

  /** Sends a message to every identified connection; returns how many it reached. */
  deliverAll(message: string): number {
    const fan: FanOut = { delivered: 0, v1Text: undefined };
    for (const sockets of this.registry.identifiedSets()) this.fanOutTo(sockets, message, fan);
    return fan.delivered;
  }

  /**
   * Sends a message once to every connection of the given uids (a group's members here) but those of the uids in
   * `skip`; returns how many it reached. A uid's connections are read when its turn comes, so a tab opened since
   * is reached.
   */
  deliverToUids(uids: Iterable<string>, message: string, skip: readonly string[] = []): number {
    const fan: FanOut = { delivered: 0, v1Text: undefined };
    const except = skip[0];
    const left = skip.length > 1 ? new Set(skip) : undefined;
    for (const uid of uids) {
      if (uid === except || left?.has(uid)) continue;
      this.fanOutTo(this.registry.socketsOf(uid), message, fan);
    }
    return fan.delivered;
  }

  // The broadcast's path: a v1 frame is formatted once per fan-out, and a quiet socket is written straight from
  // the loop, so nothing is allocated per socket.
  private fanOutTo(sockets: readonly S[], message: string, fan: FanOut): void {
    // A v1 socket in its resume window gets the broadcast after its backlog, like any push.
    const resuming = this.resuming.size > 0;
    for (const socket of sockets) {
      if (resuming && socket.v1 && this.resuming.has(socket.id)) {
        if (this.sendFrame(socket, 0, message)) fan.delivered++;
        continue;
      }
      const text = socket.v1 ? (fan.v1Text ??= formatV1Frame(0, message)) : message;
      if (socket.sendNow ? socket.sendNow(text) : socket.send(text)) fan.delivered++;
    }
  }

  // One push to one socket: `seq` 0 for one that is not stored. A v1 socket in its resume window keeps it
  // for later (it counts as reached: it goes out once the backlog is written).
  private sendFrame(socket: S, seq: number, message: string): boolean {
    const held = socket.v1 && this.resuming.size > 0 ? this.resuming.get(socket.id) : undefined;
    if (held) return held.push({ seq, message }) > 0;
    const last = socket.lastSeq ?? 0;
    // It has this one already (from its backlog, through another process, or filling a gap): it counts as reached.
    if (seq > 0 && last >= seq) return true;
    // Some seqs before this one never reached it: they go first (the in-order path costs this one comparison).
    if (seq > last + 1 && last > 0 && this.readStoredBetween) {
      const uid = this.registry.uidOf(socket);
      if (uid !== undefined && !fillSeqGap(socket, uid, seq, this.readStoredBetween)) return false;
    }
    if (!socket.send(socket.v1 ? formatV1Frame(seq, message) : message)) return false;
    if (seq > 0) socket.lastSeq = seq;
    return true;
  }

  /** Closes every connection of a uid; returns how many were closed. */
  kick(uid: string, reason = 'disconnected by the server'): number {
    // A snapshot: each close replaces the uid's list rather than changing this one.
    const sockets = this.registry.socketsOf(uid);
    for (const socket of sockets) this.drop(socket, CloseCode.normal, reason);
    return sockets.length;
  }

  /** How many live connections a uid holds. */
  online(uid: string): number {
    return this.registry.socketsOf(uid).length;
  }

  private drop(socket: S, code: number, reason: string): false {
    this.disconnect(socket);
    try {
      socket.close(code, reason);
    } catch {
      // Already closed: nothing left to tell the client.
    }
    return false;
  }
}
