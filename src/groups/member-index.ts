const NONE: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * Which of this process's online uids are in which group, each with its live set of connections (the registry's
 * own), so a group push walks its local members' sockets as a broadcast walks everyone's, without the store and
 * without a lookup per member. Filled from the store when a uid's first connection here identifies, changed on
 * join and leave, and emptied of a uid when its last connection here closes. Nothing is kept on a connection.
 */
export class MemberIndex<T> {
  private readonly byGroup = new Map<string, Map<string, T>>();
  private readonly byUid = new Map<string, Set<string>>();

  /** The members online here of a group, uid → its connections: a live view, read by a push without a copy. */
  membersOf(group: string): ReadonlyMap<string, T> {
    return this.byGroup.get(group) ?? (NONE as ReadonlyMap<string, T>);
  }

  /** Records an online uid's membership; true when the group had no member here before. */
  add(group: string, uid: string, connections: T): boolean {
    let groups = this.byUid.get(uid);
    if (!groups) this.byUid.set(uid, (groups = new Set()));
    groups.add(group);
    let members = this.byGroup.get(group);
    if (!members) this.byGroup.set(group, (members = new Map()));
    members.set(uid, connections);
    return members.size === 1;
  }

  /** Forgets one membership; true when the group has no member here any more. */
  remove(group: string, uid: string): boolean {
    const groups = this.byUid.get(uid);
    if (groups?.delete(group) && groups.size === 0) this.byUid.delete(uid);
    const members = this.byGroup.get(group);
    if (!members?.delete(uid)) return false;
    if (members.size > 0) return false;
    this.byGroup.delete(group);
    return true;
  }

  /** Forgets a uid that is no longer online here; answers the groups that have no member here any more. */
  removeUid(uid: string): string[] {
    const groups = this.byUid.get(uid);
    if (!groups) return [];
    return [...groups].filter((group) => this.remove(group, uid));
  }

  /** Forgets a deleted group; true when it had members here. */
  removeGroup(group: string): boolean {
    const members = this.byGroup.get(group);
    if (!members) return false;
    for (const uid of [...members.keys()]) this.remove(group, uid);
    return true;
  }

  /** The groups with at least one member online here. */
  groups(): Iterable<string> {
    return this.byGroup.keys();
  }
}
