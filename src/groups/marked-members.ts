import { MemberIndex } from './member-index.ts';

/** What MarkedMembers reads: whether a uid is marked now (see Mailbox.isMarked), and a uid's groups from the store. */
export interface MarkSource {
  isMarked(uid: string): boolean;
  groupsOf(uid: string): string[];
}

const NONE: readonly string[] = [];

/**
 * The members of each group whose uid is marked (a pushport.v1 client of it identified within MARK_SECONDS), so a
 * plain group push can give each of them a stored push, as a uid push to them would be, and the fast way to the
 * rest, without reading the store per push. Kept in memory from the mailbox's mark changes (one read of a uid's
 * groups when it becomes marked) and from joins, leaves and deletes; a mark that lapsed but is not swept yet is
 * left out when read.
 */
export class MarkedMembers {
  private readonly source: MarkSource;
  private readonly index = new MemberIndex();

  constructor(source: MarkSource, marked: Iterable<string>) {
    this.source = source;
    for (const uid of marked) this.markChanged(uid, true);
  }

  /** A uid became marked, or its mark was swept. */
  markChanged(uid: string, marked: boolean): void {
    if (!marked) return void this.index.removeUid(uid);
    for (const group of this.source.groupsOf(uid)) this.index.add(group, uid);
  }

  /** A uid joined a group. */
  joined(group: string, uid: string): void {
    if (this.source.isMarked(uid)) this.index.add(group, uid);
  }

  /** A uid left a group. */
  left(group: string, uid: string): void {
    this.index.remove(group, uid);
  }

  /** A group was deleted. */
  removed(group: string): void {
    this.index.removeGroup(group);
  }

  /** A group's marked members but `except`; allocates nothing for a group that has none. */
  of(group: string, except: string | undefined): readonly string[] {
    const members = this.index.membersOf(group);
    if (members.size === 0) return NONE;
    const uids: string[] = [];
    for (const uid of members) if (uid !== except && this.source.isMarked(uid)) uids.push(uid);
    return uids;
  }
}
