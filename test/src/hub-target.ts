import { countsByUid, PushTally, type Hub, type PushSocket, type PushTarget } from '../../src/index.ts';

/** A whole-server push target over one in-memory hub, as the HTTP API tests mount it. */
export function hubTarget<S extends PushSocket>(hub: Hub<S>): PushTarget {
  const tally = new PushTally();
  return {
    push: async (uid, message) => tally.push(hub.deliver(uid, message)),
    pushMany: async (pushes) => pushes.map((p) => tally.push(hub.deliver(p.uid, p.message))),
    broadcast: async (message) => tally.broadcast(hub.deliverAll(message)),
    online: async (uid) => hub.online(uid),
    onlineMany: async (uids) => countsByUid(uids, uids.map((uid) => hub.online(uid))),
    kick: async (uid, reason) => hub.kick(uid, reason),
    stats: async () => ({ ...hub.registry.counts(), ...tally.counters }),
  };
}
