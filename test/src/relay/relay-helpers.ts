import { Hub, MemoryRegistry, defaultLimits } from '../../../src/index.ts';
import { homeOf } from '../../../src/relay/index.ts';
import { MemoryRelay } from './memory-relay.ts';
import { FakeSocket } from '../fake-socket.ts';

/** Lets every queued relay frame through: microtasks, then a turn of the event loop. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A uid whose home is process `home` among `count`. */
export function uidHomedAt(home: number, count: number, prefix = 'u'): string {
  for (let i = 0; ; i++) if (homeOf(`${prefix}${i}`, count) === home) return `${prefix}${i}`;
}

/** A fresh hub, as one process of the server holds. */
export const newHub = () => new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits);

/** `count` "processes", each with its own hub, relayed in memory through the real frame encoding. */
export async function processes(count: number) {
  const hubs = Array.from({ length: count }, newHub);
  const relay = new MemoryRelay(hubs);
  const join = (process: number, uid: string) => {
    const s = new FakeSocket();
    relay.nodes[process]!.hub.connect(s);
    relay.nodes[process]!.hub.receive(s, uid);
    return s;
  };
  /** A client of `uid` in process `at`, v1 or plain, welcomed as the server does (its mark, its backlog). */
  const client = (at: number, uid: string, v1: boolean, since?: number) => {
    const socket = new FakeSocket();
    socket.v1 = v1;
    const node = relay.nodes[at]!;
    node.hub.connect(socket);
    node.hub.identify(socket, uid);
    node.stored.welcome(socket, uid, since);
    return socket;
  };
  await settle();
  return { relay, targets: relay.targets, join, client, hubOf: (i: number) => relay.nodes[i]!.hub };
}
