import type { GroupStore } from '../groups/group-store.ts';
import type { GroupCounts, GroupFigures, GroupPush, GroupRefusal, GroupTarget, MemberPage, MemberQuery } from '../groups/group-target.ts';
import { MemberIndex } from '../groups/member-index.ts';
import type { PushAnswer } from '../hub/push-answer.ts';
import { pushToEachMember } from '../groups/each-member-push.ts';
import type { PushSocket } from '../hub/push-socket.ts';
import type { PushTarget } from '../hub/push-target.ts';
import { MarkedMembers } from '../groups/marked-members.ts';
import { encodeOnline, onlineEverywhere, onlineHere, type GroupOnline } from './group-online.ts';
import { groupDeliverField, groupOf, skipOf } from './group-deliver.ts';
import { decodeUidList, encodeUidList, frame, FrameType, messageText, type RelayFrame } from './relay-frame.ts';
import type { RelayExtension, RelayNode } from './relay-node.ts';
import { UidDirectory } from './uid-directory.ts';

const NO_UIDS: readonly string[] = [];

/** Where the groups of one process get their store and the whole server's figures. */
export interface RelayedGroupsOptions {
  /** Opens the shared store (the mailbox's file) on first need. */
  open(): GroupStore;
  /** Whether the store exists already (opened here, or made by another process or an earlier run). */
  exists(): boolean;
  /** Pushes to one uid, as the server does (a member's own stored push: a ttl or an id, or a v1 client to resume). */
  target: PushTarget;
}

/**
 * Groups on the local server, from the process a request landed in. Membership lives in the shared store;
 * each process indexes its own online members (MemberIndex) and tells its peers which groups it has members of,
 * so a plain group push crosses only to the processes that hold members, as a uid push does (relay-node.ts,
 * including its race rule: a push that reached nobody asks every peer before it answers 0). Each member whose uid
 * is marked (a pushport.v1 client to resume) gets it as its own stored push instead, through its home; a group push
 * with a ttl or an id is a stored push to every member (see docs/groups.md).
 */
export class RelayedGroups<S extends PushSocket = PushSocket> implements GroupTarget, RelayExtension {
  /** Group pushes that landed here (in this process). */
  pushes = 0;
  private readonly node: RelayNode<S>;
  private readonly options: RelayedGroupsOptions;
  private readonly index = new MemberIndex();
  // group → peers with a member of it online.
  private readonly directory = new UidDirectory();
  private opened: GroupStore | undefined;
  private marked: MarkedMembers | undefined;

  constructor(node: RelayNode<S>, options: RelayedGroupsOptions) {
    this.node = node;
    this.options = options;
    node.extension = this;
  }

  /** The store if it exists, opened now if need be; undefined while no process has made one. */
  private store(create = false): GroupStore | undefined {
    if (!this.opened && (create || this.options.exists())) this.opened = this.options.open();
    return this.opened;
  }

  /** A uid's first connection here identified (`here`), or its last one closed: its groups enter or leave the index. */
  uidChanged(uid: string, here: boolean): void {
    if (!here) {
      for (const group of this.index.removeUid(uid)) this.tellPeers(FrameType.groupLeft, group);
      return;
    }
    // One indexed query, where a store exists at all: the same rule as for the uid's stored pushes.
    const store = this.store();
    if (!store) return;
    for (const group of store.groupsOf(uid)) if (this.index.add(group, uid)) this.tellPeers(FrameType.groupHere, group);
  }


  async join(group: string, uids: readonly string[]): Promise<number | GroupRefusal> {
    const store = this.store(true)!;
    const fresh = store.join(group, uids);
    if (!Array.isArray(fresh)) return fresh;
    await store.committed();
    await this.announce(group, fresh, true);
    return fresh.length;
  }

  async leave(group: string, uid: string): Promise<boolean> {
    const store = this.store();
    if (!store?.leave(group, uid)) return false;
    await store.committed();
    await this.announce(group, [uid], false);
    return true;
  }

  async remove(group: string): Promise<number> {
    const store = this.store();
    if (!store) return 0;
    const uids = store.remove(group);
    await store.committed();
    this.removed(group);
    await new Promise((done) => this.node.outbox.requestAll(this.node.peers, FrameType.groupRemoved, group, '', done));
    return uids.length;
  }

  async counts(group: string): Promise<GroupCounts> {
    const members = this.store()?.size(group) ?? 0;
    const { uids, connections } = await this.online(group);
    return { members, online: uids.size, connections };
  }

  async members(group: string, query: MemberQuery): Promise<MemberPage> {
    if (!query.online) return this.store()?.page(group, query.cursor, query.limit) ?? { uids: [] };
    const after = query.cursor;
    const online = [...(await this.online(group)).uids].filter((uid) => after === undefined || uid > after).sort();
    const uids = online.slice(0, query.limit);
    return online.length > query.limit ? { uids, cursor: uids.at(-1)! } : { uids };
  }

  async groupsOf(uid: string): Promise<string[]> {
    return this.store()?.groupsOf(uid) ?? [];
  }

  // Every process's online members of a group, and their connections.
  private online(group: string): Promise<GroupOnline> {
    return onlineEverywhere(this.node, group, onlineHere(this.index.membersOf(group), this.node.hub));
  }

  pushGroup(push: GroupPush): PushAnswer | Promise<PushAnswer> {
    this.pushes++;
    if (push.ttl !== undefined || push.id !== undefined) return this.pushStored(push);
    const { node } = this;
    const { group, message, except } = push;
    // A member with a v1 client to resume gets it as a uid push would give it (stored, with its seq); the rest
    // the fast way, which leaves those members out everywhere, so that nobody gets it twice.
    const marked = this.markedMembers()?.of(group, except) ?? NO_UIDS;
    const skip = except === undefined ? marked : [...marked, except];
    const local = node.hub.deliverToUids(this.index.membersOf(group), message, skip);
    const sure = node.directoryComplete;
    const holders = node.count === 1 ? [] : sure ? this.directory.holdersOf(group) : node.peers;
    if (marked.length === 0 && holders.length === 0 && (local > 0 || node.count === 1)) return this.delivered(local);
    const viaStore = marked.length === 0 ? 0 : pushToEachMember(marked, { group, message }, this.options.target);
    const { uid, value } = groupDeliverField(group, skip);
    const ask = (peers: readonly number[]) => new Promise<number>((resolve) =>
      node.outbox.requestAll(peers, FrameType.groupDeliver, uid, message, resolve, value));
    return (async () => {
      // Awaited together: a store that fails is the push's error, never an unhandled rejection meanwhile.
      const [remote, answer] = viaStore === 0 ? [await ask(holders), 0] : await Promise.all([ask(holders), viaStore]);
      const fast = local + remote;
      const stored = reached(answer);
      if (fast + stored > 0 || !sure) return this.delivered(fast) + stored;
      // Reached nobody: a member may have identified in a peer whose "groupHere" is still on its way.
      return this.delivered(local + await ask(node.peers.filter((p) => !holders.includes(p))));
    })();
  }

  // A plain group push's writes count in pushport_delivered_total once, here, as a broadcast's do.
  private delivered(n: number): number {
    return this.node.tally.delivered(n);
  }

  /** This process's share of the group figures: the store's group count, and the group pushes that landed here. */
  share(): GroupFigures {
    return { groups: this.store()?.count() ?? 0, pushes: this.pushes };
  }

  receive(from: number, f: RelayFrame): void {
    switch (f.type) {
      case FrameType.groupHere:
        return this.directory.add(f.uid, from);
      case FrameType.groupLeft:
        return this.directory.remove(f.uid, from);
      case FrameType.groupMember:
        for (const uid of decodeUidList(f.message)) this.changed(f.uid, uid, f.value === 1);
        return this.node.outbox.reply(from, frame(FrameType.answer, f.id, 0));
      case FrameType.groupRemoved:
        this.removed(f.uid);
        return this.node.outbox.reply(from, frame(FrameType.answer, f.id, 0));
      case FrameType.groupDeliver: {
        const members = this.index.membersOf(groupOf(f.uid, f.value));
        // Decoded only when a member here will get it.
        const n = members.size === 0 ? 0 : this.node.hub.deliverToUids(members, messageText(f.message), skipOf(f.uid, f.value));
        return this.node.outbox.reply(from, frame(FrameType.answer, f.id, n));
      }
      case FrameType.groupOnline:
        return this.node.outbox.reply(from, frame(FrameType.answer, f.id, 0, '', encodeOnline(onlineHere(this.index.membersOf(f.uid), this.node.hub))));
    }
  }

  linkUp(peer: number): void {
    for (const group of this.index.groups()) this.node.outbox.post(peer, frame(FrameType.groupHere, 0, 0, group));
  }

  peerReset(peer: number): void {
    this.directory.removeProcess(peer);
  }

  // Memberships changed here: this index follows, and every peer's, before the change is answered (a push that
  // lands anywhere after it sees it). A peer that is down reads the store when it is back.
  private announce(group: string, uids: readonly string[], joined: boolean): Promise<unknown> {
    for (const uid of uids) this.changed(group, uid, joined);
    const list = encodeUidList(uids);
    return new Promise((done) => this.node.outbox.requestAll(this.node.peers, FrameType.groupMember, group, list, done, joined ? 1 : 0));
  }

  // A membership changed (here, or told by a peer): the index follows for a uid online here.
  private changed(group: string, uid: string, joined: boolean): void {
    if (joined) this.marked?.joined(group, uid);
    else this.marked?.left(group, uid);
    if (joined && this.node.hub.online(uid) > 0 && this.index.add(group, uid)) this.tellPeers(FrameType.groupHere, group);
    if (!joined && this.index.remove(group, uid)) this.tellPeers(FrameType.groupLeft, group);
  }

  private removed(group: string): void {
    this.marked?.removed(group);
    if (this.index.removeGroup(group)) this.tellPeers(FrameType.groupLeft, group);
  }

  private tellPeers(type: (typeof FrameType)['groupHere' | 'groupLeft'], group: string): void {
    for (const peer of this.node.peers) this.node.outbox.post(peer, frame(type, 0, 0, group));
  }

  // The marked members of the groups, kept from when this process has both a mailbox and a group store (without a
  // mailbox no uid is marked here: a peer's mark opens it).
  private markedMembers(): MarkedMembers | undefined {
    if (this.marked) return this.marked;
    const mailbox = this.node.stored.store?.mailbox;
    const store = mailbox && this.store();
    if (!mailbox || !store) return undefined;
    const marked = new MarkedMembers({ isMarked: (uid) => mailbox.isMarked(uid), groupsOf: (uid) => store.groupsOf(uid) }, mailbox.markedUids());
    mailbox.onMarkChange = (uid, on) => marked.markChanged(uid, on);
    return (this.marked = marked);
  }

  // A ttl or an id makes a group push a stored push to each member (see pushToEachMember).
  private pushStored(push: GroupPush): Promise<PushAnswer> {
    return pushToEachMember(this.store()?.members(push.group) ?? [], push, this.options.target);
  }
}

// The connections a push to marked members reached (a refusal, or a queue without a ttl, reached none).
function reached(answer: PushAnswer | 0): number {
  return typeof answer === 'number' && answer > 0 ? answer : 0;
}
