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

const NONE: readonly never[] = Object.freeze([]);

/**
 * The plain in-memory registry: a map of uid → connections, in connection order. A uid's connections are a
 * small array, replaced whole on each change: most uids hold one connection, which an array keeps in a third
 * of a Set's memory, and a push that walks one is never disturbed by a socket that closes meanwhile.
 */
export class MemoryRegistry<S extends PushSocket = PushSocket> implements UidRegistry<S> {
  // Each entry is made with its uid slot, so the uid given later fits in the object (no extra property store).
  private readonly byId = new Map<string, { socket: S; uid: string | undefined }>();
  private readonly byUid = new Map<string, readonly S[]>();
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
    const held = this.byUid.get(uid);
    this.byUid.set(uid, held ? [...held, entry.socket] : [entry.socket]);
    this.identifiedCount++;
    if (!held) this.onUidChange?.(uid, true);
  }

  remove(socket: S): string | undefined {
    const entry = this.byId.get(socket.id);
    if (!entry) return undefined;
    this.byId.delete(socket.id);
    const uid = entry.uid;
    if (uid === undefined) return undefined;
    const held = this.byUid.get(uid);
    this.identifiedCount--;
    if (!held) return uid;
    // Drop the stored object, not the argument: after hibernation they may be different wrappers.
    const rest = held.filter((socket) => socket !== entry.socket);
    if (rest.length > 0) this.byUid.set(uid, rest);
    else {
      this.byUid.delete(uid);
      this.onUidChange?.(uid, false);
    }
    return uid;
  }

  uidOf(socket: S): string | undefined {
    return this.byId.get(socket.id)?.uid;
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
