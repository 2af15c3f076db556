import type { GroupStore } from '../groups/group-store.ts';
import type { GroupCounts, GroupFigures, GroupPush, GroupRefusal, GroupTarget, MemberPage, MemberQuery } from '../groups/group-target.ts';
import { MemberIndex } from '../groups/member-index.ts';
import type { PushAnswer } from '../hub/push-answer.ts';
import { pushToEachMember } from '../groups/each-member-push.ts';
import type { PushSocket } from '../hub/push-socket.ts';
import type { PushTarget } from '../hub/push-target.ts';
import { decodeUidList, encodeUidList, frame, FrameType, messageText, type RelayFrame } from './relay-frame.ts';
import type { RelayExtension, RelayNode } from './relay-node.ts';
import { UidDirectory } from './uid-directory.ts';

/** Where the groups of one process get their store and the whole server's figures. */
export interface RelayedGroupsOptions {
  /** Opens the shared store (the mailbox's file) on first need. */
  open(): GroupStore;
  /** Whether the store exists already (opened here, or made by another process or an earlier run). */
  exists(): boolean;
  /** Pushes to one uid, as the server does (stored per member, for a group push with a ttl or an id). */
  target: PushTarget;
  /** The group figures of every process, summed (pushes add up; the store's group count is one). */
  figures?(): Promise<GroupFigures>;
}

/**
 * Groups on the local server, from the process a request landed in. Membership lives in the shared store;
 * each process indexes its own online members (MemberIndex) and tells its peers which groups it has members of,
 * so a plain group push crosses only to the processes that hold members, as a uid push does (relay-node.ts,
 * including its race rule: a push that reached nobody asks every peer before it answers 0). A group push with a
 * ttl or an id is a stored push to each member instead, through the member's home (see docs/groups.md).
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
  readonly uidChanged = (uid: string, here: boolean): void => {
    if (!here) {
      for (const group of this.index.removeUid(uid)) this.tellPeers(FrameType.groupLeft, group);
      return;
    }
    // One indexed query, where a store exists at all: the same rule as for the uid's stored pushes.
    const store = this.store();
    if (!store) return;
    for (const group of store.groupsOf(uid)) if (this.index.add(group, uid)) this.tellPeers(FrameType.groupHere, group);
  };

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

  pushGroup(push: GroupPush): PushAnswer | Promise<PushAnswer> {
    this.pushes++;
    if (push.ttl !== undefined || push.id !== undefined) return this.pushStored(push);
    const { node } = this;
    const { group, message, except } = push;
    const local = this.deliverHere(group, except, message);
    const sure = node.directoryComplete;
    const holders = node.count === 1 ? [] : sure ? this.directory.holdersOf(group) : node.peers;
    if (holders.length === 0 && (local > 0 || node.count === 1)) return this.delivered(local);
    const uidField = except === undefined ? group : group + except;
    const value = except === undefined ? 0 : group.length + 1;
    const ask = (peers: readonly number[], then: (sum: number) => void) =>
      node.outbox.requestAll(peers, FrameType.groupDeliver, uidField, message, then, value);
    return new Promise((resolve) => ask(holders, (sum) => {
      // Reached nobody: a member may have identified in a peer whose "groupHere" is still on its way.
      if (local + sum > 0 || !sure) return resolve(this.delivered(local + sum));
      ask(node.peers.filter((p) => !holders.includes(p)), (rest) => resolve(this.delivered(local + rest)));
    }));
  }

  // A plain group push's writes count in pushport_delivered_total once, here, as a broadcast's do.
  private delivered(n: number): number {
    return this.node.tally.delivered(n);
  }

  async figures(): Promise<GroupFigures> {
    return this.options.figures ? this.options.figures() : this.share();
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
        const group = f.value === 0 ? f.uid : f.uid.slice(0, f.value - 1);
        const except = f.value === 0 ? undefined : f.uid.slice(f.value - 1);
        // Decoded only when a member here will get it.
        const n = this.index.membersOf(group).size === 0 ? 0 : this.deliverHere(group, except, messageText(f.message));
        return this.node.outbox.reply(from, frame(FrameType.answer, f.id, n));
      }
      case FrameType.groupOnline: {
        const { uids, connections } = this.localOnline(f.uid);
        return this.node.outbox.reply(from, frame(FrameType.answer, f.id, 0, '', JSON.stringify([connections, [...uids]])));
      }
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
    if (joined && this.node.hub.online(uid) > 0 && this.index.add(group, uid)) this.tellPeers(FrameType.groupHere, group);
    if (!joined && this.index.remove(group, uid)) this.tellPeers(FrameType.groupLeft, group);
  }

  private removed(group: string): void {
    if (this.index.removeGroup(group)) this.tellPeers(FrameType.groupLeft, group);
  }

  private tellPeers(type: (typeof FrameType)['groupHere' | 'groupLeft'], group: string): void {
    for (const peer of this.node.peers) this.node.outbox.post(peer, frame(type, 0, 0, group));
  }

  // Writes to the connections of a group's members here but `except`'s, through the broadcast's loop.
  private deliverHere(group: string, except: string | undefined, message: string): number {
    return this.node.hub.deliverToUids(this.index.membersOf(group), message, except);
  }

  private localOnline(group: string): { uids: Set<string>; connections: number } {
    let connections = 0;
    for (const uid of this.index.membersOf(group)) connections += this.node.hub.online(uid);
    return { uids: new Set(this.index.membersOf(group)), connections };
  }

  // Every process's online members of a group, and their connections (a peer that is down counts none).
  private online(group: string): Promise<{ uids: Set<string>; connections: number }> {
    const total = this.localOnline(group);
    const { peers, outbox } = this.node;
    let left = peers.length;
    return new Promise((resolve) => {
      if (left === 0) return resolve(total);
      for (const peer of peers) {
        outbox.request(peer, FrameType.groupOnline, 0, group, '', (_value, message) => {
          const [connections, uids] = parseOnline(message);
          total.connections += connections;
          for (const uid of uids) total.uids.add(uid);
          if (--left === 0) resolve(total);
        });
      }
    });
  }

  // A ttl or an id makes a group push a stored push to each member (see pushToEachMember).
  private pushStored(push: GroupPush): Promise<PushAnswer> {
    return pushToEachMember(this.store()?.members(push.group) ?? [], push, this.options.target);
  }
}

// A peer's `[connections, [uids]]`; anything else counts as none.
function parseOnline(message: string | Uint8Array | undefined): [number, string[]] {
  try {
    const [connections, uids] = JSON.parse(message === undefined ? '' : messageText(message)) as [unknown, unknown];
    return [typeof connections === 'number' ? connections : 0, Array.isArray(uids) ? uids.filter((u): u is string => typeof u === 'string') : []];
  } catch {
    return [0, []];
  }
}
