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
  /** The live connections of one uid, oldest first: a live view, so copy it before closing any. */
  socketsOf(uid: string): ReadonlySet<S>;
  /** Every identified connection. */
  identified(): Iterable<S>;
  /** The same connections as the live sets of each uid: a broadcast walks them without a step object per socket. */
  identifiedSets(): Iterable<ReadonlySet<S>>;
  /** Every uid online. */
  uids(): Iterable<string>;
  /** How many connections, identified connections and uids there are. */
  counts(): RegistryCounts;
}

const NONE: ReadonlySet<never> = new Set<never>();

/** The plain in-memory registry: a map of uid → connections, in connection order. */
export class MemoryRegistry<S extends PushSocket = PushSocket> implements UidRegistry<S> {
  // Each entry is made with its uid slot, so the uid given later fits in the object (no extra property store).
  private readonly byId = new Map<string, { socket: S; uid: string | undefined }>();
  private readonly byUid = new Map<string, Set<S>>();
  private identifiedCount = 0;
  /** Told when a uid gets its first connection here (`true`) or loses its last (`false`): the relay's presence. */
  onUidChange: ((uid: string, online: boolean) => void) | undefined;

  add(socket: S): void {
    if (!this.byId.has(socket.id)) this.byId.set(socket.id, { socket, uid: undefined });
  }

  bind(socket: S, uid: string): void {
    const entry = this.byId.get(socket.id) ?? { socket, uid: undefined };
    if (entry.uid !== undefined) return;
    entry.uid = uid;
    this.byId.set(socket.id, entry);
    let set = this.byUid.get(uid);
    if (!set) this.byUid.set(uid, (set = new Set()));
    set.add(entry.socket);
    this.identifiedCount++;
    if (set.size === 1) this.onUidChange?.(uid, true);
  }

  remove(socket: S): string | undefined {
    const entry = this.byId.get(socket.id);
    if (!entry) return undefined;
    this.byId.delete(socket.id);
    const uid = entry.uid;
    if (uid === undefined) return undefined;
    const set = this.byUid.get(uid);
    // Delete the stored object, not the argument: after hibernation they may be different wrappers.
    set?.delete(entry.socket);
    this.identifiedCount--;
    if (set && set.size === 0) {
      this.byUid.delete(uid);
      this.onUidChange?.(uid, false);
    }
    return uid;
  }

  uidOf(socket: S): string | undefined {
    return this.byId.get(socket.id)?.uid;
  }

  socketsOf(uid: string): ReadonlySet<S> {
    // No copy: a push reads this set, and a push must not allocate.
    return this.byUid.get(uid) ?? (NONE as ReadonlySet<S>);
  }

  *identified(): Iterable<S> {
    for (const set of this.byUid.values()) yield* set;
  }

  identifiedSets(): Iterable<ReadonlySet<S>> {
    return this.byUid.values();
  }

  uids(): Iterable<string> {
    return this.byUid.keys();
  }

  counts(): RegistryCounts {
    return { connections: this.byId.size, identified: this.identifiedCount, uids: this.byUid.size };
  }
}
