const none: readonly number[] = [];

// One shared list per process index: most uids have one holder, and their entries allocate nothing else.
const single: (readonly number[])[] = [];
const alone = (index: number): readonly number[] => (single[index] ??= [index]);

/**
 * A process's directory of its peers' uids: for each uid, the other processes where it has at least one
 * identified socket. Kept from the "here" / "left" frames the peers send; a peer's entries go with its link.
 * Lists are never changed in place (a change replaces them), so a caller may keep one across changes.
 */
export class UidDirectory {
  private readonly holders = new Map<string, readonly number[]>();

  /** The processes that hold a uid. */
  holdersOf(uid: string): readonly number[] {
    return this.holders.get(uid) ?? none;
  }

  /** A process now holds a uid. */
  add(uid: string, index: number): void {
    const list = this.holders.get(uid);
    if (!list) this.holders.set(uid, alone(index));
    else if (!list.includes(index)) this.holders.set(uid, [...list, index]);
  }

  /** A process no longer holds a uid. */
  remove(uid: string, index: number): void {
    const list = this.holders.get(uid);
    if (!list?.includes(index)) return;
    const rest = list.filter((p) => p !== index);
    if (rest.length === 0) this.holders.delete(uid);
    else this.holders.set(uid, rest.length === 1 ? alone(rest[0]!) : rest);
  }

  /** Forgets every entry of one process, whose link died or which came back anew. */
  removeProcess(index: number): void {
    for (const uid of [...this.holders.keys()]) this.remove(uid, index);
  }

  /** How many uids have an entry. */
  get size(): number {
    return this.holders.size;
  }
}
