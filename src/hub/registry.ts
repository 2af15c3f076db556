import type { PushSocket } from './push-socket.ts';

/** Connection counts of one registry. */
export interface RegistryCounts {
  /** Every open connection, identified or not. */
  connections: number;
  /** Connections that have a uid. */
  identified: number;
  /** Distinct uids online. */
  uids: number;
}

/** Where the hub keeps its connections and which uid each one holds. */
export interface UidRegistry<S extends PushSocket = PushSocket> {
  /** Records a new, not yet identified connection. */
  add(socket: S): void;
  /** Gives a known connection its uid (once). */
  bind(socket: S, uid: string): void;
  /** Forgets a connection; returns the uid it held, if any. */
  remove(socket: S): string | undefined;
  /** The uid a connection holds, if identified. */
  uidOf(socket: S): string | undefined;
  /** The live connections of one uid, oldest first: a snapshot, which a later add or remove replaces rather than changes. */
  socketsOf(uid: string): readonly S[];
  /** Every identified connection. */
  identified(): Iterable<S>;
  /** The same connections as the lists of each uid: a broadcast walks them without a step object per socket. */
  identifiedSets(): Iterable<readonly S[]>;
  /** Every uid online. */
  uids(): Iterable<string>;
  /** How many connections, identified connections and uids there are. */
  counts(): RegistryCounts;
}

// Not frozen: a frozen array has another shape, and the loops that read a uid's sockets would see two.
const NONE: readonly never[] = [];

/**
 * The plain in-memory registry: a map of uid → connections, in connection order. A uid's connections are a
 * small array, replaced whole on each change: most uids hold one connection, which an array keeps in a third
 * of a Set's memory, and a push that walks one is never disturbed by a socket that closes meanwhile.
 */
export class MemoryRegistry<S extends PushSocket = PushSocket> implements UidRegistry<S> {
  // Connection id → its uid, or null until it has one: no object per connection, only the map's slot.
  private readonly byId = new Map<string, string | null>();
  private readonly byUid = new Map<string, readonly S[]>();
  private identifiedCount = 0;
  /** Told when a uid gets its first connection here (`true`) or loses its last (`false`): the relay's presence. */
  onUidChange: ((uid: string, online: boolean) => void) | undefined;

  add(socket: S): void {
    if (!this.byId.has(socket.id)) this.byId.set(socket.id, null);
  }

  bind(socket: S, uid: string): void {
    if ((this.byId.get(socket.id) ?? null) !== null) return;
    this.byId.set(socket.id, uid);
    const held = this.byUid.get(uid);
    this.byUid.set(uid, held ? [...held, socket] : [socket]);
    this.identifiedCount++;
    if (!held) this.onUidChange?.(uid, true);
  }

  remove(socket: S): string | undefined {
    const uid = this.byId.get(socket.id);
    if (uid === undefined) return undefined;
    this.byId.delete(socket.id);
    if (uid === null) return undefined;
    const held = this.byUid.get(uid);
    this.identifiedCount--;
    if (!held) return uid;
    // By id, not by object: after hibernation the argument may be another wrapper of the same socket.
    const { id } = socket;
    const rest = held.filter((other) => other.id !== id);
    if (rest.length > 0) this.byUid.set(uid, rest);
    else {
      this.byUid.delete(uid);
      this.onUidChange?.(uid, false);
    }
    return uid;
  }

  uidOf(socket: S): string | undefined {
    return this.byId.get(socket.id) ?? undefined;
  }

  socketsOf(uid: string): readonly S[] {
    // No copy: a push reads this list, and a push must not allocate.
    return this.byUid.get(uid) ?? NONE;
  }

  *identified(): Iterable<S> {
    for (const sockets of this.byUid.values()) yield* sockets;
  }

  identifiedSets(): Iterable<readonly S[]> {
    return this.byUid.values();
  }

  uids(): Iterable<string> {
    return this.byUid.keys();
  }

  counts(): RegistryCounts {
    return { connections: this.byId.size, identified: this.identifiedCount, uids: this.byUid.size };
  }
}
