import { countsByUid, type Hub, type PushSocket, type PushTarget } from '../../src/index.ts';

/** A whole-server push target over one in-memory hub, as the HTTP API tests mount it. */
export function hubTarget<S extends PushSocket>(hub: Hub<S>): PushTarget {
  return {
    push: async (uid, message) => hub.push(uid, message),
    pushMany: async (pushes) => hub.pushMany(pushes),
    broadcast: async (message) => hub.broadcast(message),
    online: async (uid) => hub.online(uid),
    onlineMany: async (uids) => countsByUid(uids, uids.map((uid) => hub.online(uid))),
    kick: async (uid, reason) => hub.kick(uid, reason),
    stats: async () => hub.stats(),
  };
}
