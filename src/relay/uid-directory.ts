const none: readonly number[] = [];

/**
 * A home's directory: for each uid homed here, the other processes where it has at least one identified
 * socket. Kept from the "here" / "left" frames the processes send; a process's entries go with its link.
 */
export class UidDirectory {
  private readonly holders = new Map<string, number[]>();

  /** The processes that hold a uid (never copied: read it before the next change). */
  holdersOf(uid: string): readonly number[] {
    return this.holders.get(uid) ?? none;
  }

  /** A process now holds a uid. */
  add(uid: string, index: number): void {
    const list = this.holders.get(uid);
    if (!list) this.holders.set(uid, [index]);
    else if (!list.includes(index)) list.push(index);
  }

  /** A process no longer holds a uid. */
  remove(uid: string, index: number): void {
    const list = this.holders.get(uid);
    const at = list ? list.indexOf(index) : -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (list!.length === 0) this.holders.delete(uid);
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
