import { FrameType, messageText } from './relay-frame.ts';
import type { RouteHost } from './routed-push.ts';

/** A group's online members and their connections. */
export interface GroupOnline {
  uids: Set<string>;
  connections: number;
}

/** The online members of a group held here, and their connections as `hub` counts them. */
export function onlineHere(members: Iterable<string>, hub: { online(uid: string): number }): GroupOnline {
  const uids = new Set(members);
  let connections = 0;
  for (const uid of uids) connections += hub.online(uid);
  return { uids, connections };
}

/** A `groupOnline` answer's message: `[connections, [uids]]` as JSON. */
export function encodeOnline(online: GroupOnline): string {
  return JSON.stringify([online.connections, [...online.uids]]);
}

/** Every process's online members of a group: `here`'s, then each peer's `groupOnline` answer (a peer that is down counts none). */
export function onlineEverywhere(host: RouteHost, group: string, here: GroupOnline): Promise<GroupOnline> {
  const { peers, outbox } = host;
  let left = peers.length;
  return new Promise((resolve) => {
    if (left === 0) return resolve(here);
    for (const peer of peers) {
      outbox.request(peer, FrameType.groupOnline, 0, group, '', (_value, message) => {
        const [connections, uids] = parseOnline(message);
        here.connections += connections;
        for (const uid of uids) here.uids.add(uid);
        if (--left === 0) resolve(here);
      });
    }
  });
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
