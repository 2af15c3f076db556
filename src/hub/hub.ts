import type { Limits } from '../limits.ts';
import { byteLength } from '../wire/uid.ts';
import { formatV1Frame } from '../wire/v1-frame.ts';
import { CloseCode, type PushSocket } from './push-socket.ts';
import type { UidRegistry } from './registry.ts';

/** The limits the hub itself enforces. */
export type HubLimits = Pick<Limits, 'maxUidBytes' | 'maxConnectionsPerUid'>;

/**
 * The uid → connections hub: holds the registry and delivers to it (identify, deliver, broadcast, kick,
 * online). It counts nothing: the layer that knows a push's whole answer counts it (see PushTally).
 */
export class Hub<S extends PushSocket = PushSocket> {
  /** Where the connections live (memory, or hibernation-aware on the edge). */
  readonly registry: UidRegistry<S>;
  private readonly limits: HubLimits;

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
    const held = [...this.registry.socketsOf(uid)];
    for (let i = 0; i <= held.length - this.limits.maxConnectionsPerUid; i++) {
      this.drop(held[i]!, CloseCode.policy, 'too many connections for this uid; the oldest was closed');
    }
    this.registry.add(socket);
    this.registry.bind(socket, uid);
    return true;
  }

  /** A connection has closed; forget it. */
  disconnect(socket: S): void {
    this.registry.remove(socket);
  }

  /**
   * Sends a message to every live connection of a uid; returns how many it reached. A push that is not stored
   * reaches v1 clients with seq 0.
   */
  deliver(uid: string, message: string): number {
    let delivered = 0;
    for (const socket of this.registry.socketsOf(uid)) {
      if (socket.send(socket.v1 ? formatV1Frame(0, message) : message)) delivered++;
    }
    return delivered;
  }

  /** Sends a stored push once to each socket: `<seq> <message>` to v1 clients, the message to the others. */
  deliverSeq(uid: string, message: string, seq: number): number {
    let delivered = 0;
    for (const socket of this.registry.socketsOf(uid)) {
      if (this.sendStored(socket, seq, message)) delivered++;
    }
    return delivered;
  }

  /** Sends a client what was stored for it (its backlog), in seq order, before anything live. */
  sendBacklog(socket: S, pushes: readonly { seq: number; message: string }[]): void {
    for (const push of pushes) this.sendStored(socket, push.seq, push.message);
  }

  /** Sends a message to every identified connection; returns how many it reached. */
  deliverAll(message: string): number {
    let delivered = 0;
    // Formatted once, on the first v1 client, so the loop allocates nothing per socket.
    let v1Text: string | undefined;
    for (const sockets of this.registry.identifiedSets()) {
      for (const socket of sockets) {
        const text = socket.v1 ? (v1Text ??= formatV1Frame(0, message)) : message;
        if (socket.sendNow ? socket.sendNow(text) : socket.send(text)) delivered++;
      }
    }
    return delivered;
  }

  private sendStored(socket: S, seq: number, message: string): boolean {
    // It has this one already (from its backlog, or through another process): it counts as reached.
    if ((socket.lastSeq ?? 0) >= seq) return true;
    if (!socket.send(socket.v1 ? formatV1Frame(seq, message) : message)) return false;
    socket.lastSeq = seq;
    return true;
  }

  /** Closes every connection of a uid; returns how many were closed. */
  kick(uid: string, reason = 'disconnected by the server'): number {
    const sockets = [...this.registry.socketsOf(uid)];
    for (const socket of sockets) this.drop(socket, CloseCode.normal, reason);
    return sockets.length;
  }

  /** How many live connections a uid holds. */
  online(uid: string): number {
    return this.registry.socketsOf(uid).size;
  }

  private drop(socket: S, code: number, reason: string): false {
    this.registry.remove(socket);
    try {
      socket.close(code, reason);
    } catch {
      // Already closed: nothing left to tell the client.
    }
    return false;
  }
}
