import type { Hub } from '../../src/hub/hub.ts';
import type { RelayNode } from '../../src/relay/relay-node.ts';
import type { ConnectionSocket } from './connection-socket.ts';

// A process being replaced stops after its successor has linked here: what it stores until then cannot reach
// this process. A relay timeout later it has stopped, and all of it is in the store.
const AGAIN_MS = 2000;

/**
 * Catches this process's sockets up to the store (Hub.catchUp) whenever a peer's link changes: a peer that
 * could not reach this process answered its pushes `queued`, and they wait in the store. Once soon, after
 * this run's own pushes are committed (a socket never gets a seq that could be handed out again), and once
 * more a relay timeout later; a burst of link changes costs one of each.
 */
export function catchUpOnLinkChange(node: RelayNode<ConnectionSocket>, hub: Hub<ConnectionSocket>): void {
  let soon = false;
  let later: ReturnType<typeof setTimeout> | undefined;
  node.onLinkChange = () => {
    if (!soon) {
      soon = true;
      setImmediate(() => ((soon = false), hub.catchUp()));
    }
    later ??= setTimeout(() => ((later = undefined), hub.catchUp()), AGAIN_MS).unref();
  };
}
