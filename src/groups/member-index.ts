const NONE: ReadonlySet<string> = new Set<string>();

/**
 * Which of the uids a process follows are in which group (its online members, or its members with a v1 client),
 * so a group push finds its local members without the store. Changed on join and leave, and emptied of a uid the
 * process stops following. Nothing is kept on a connection.
 */
export class MemberIndex {
  private readonly byGroup = new Map<string, Set<string>>();
  private readonly byUid = new Map<string, Set<string>>();

  /** The uids of a group's members followed here: a live view, read by a push without a copy. */
  membersOf(group: string): ReadonlySet<string> {
    return this.byGroup.get(group) ?? NONE;
  }

  /** Records an online uid's membership; true when the group had no member here before. */
  add(group: string, uid: string): boolean {
    let groups = this.byUid.get(uid);
    if (!groups) this.byUid.set(uid, (groups = new Set()));
    groups.add(group);
    let members = this.byGroup.get(group);
    if (!members) this.byGroup.set(group, (members = new Set()));
    members.add(uid);
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
    for (const uid of [...members]) this.remove(group, uid);
    return true;
  }

  /** The groups with at least one member online here. */
  groups(): Iterable<string> {
    return this.byGroup.keys();
  }
}
