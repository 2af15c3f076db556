import type { Hub } from '../../../src/hub/hub.ts';
import type { PushSocket } from '../../../src/hub/push-socket.ts';
import { MemoryRegistry } from '../../../src/hub/registry.ts';
import { FrameReader } from '../../../src/relay/frame-reader.ts';
import { RelayNode } from '../../../src/relay/relay-node.ts';
import { RelayedTarget } from '../../../src/relay/relayed-target.ts';

/**
 * Several hubs in one process, relayed to each other through the real frame encoding, for tests. Each direction between two hubs is an ordered channel that a test may hold and
 * release, to play any ordering of frames between processes deterministically.
 */
export class MemoryRelay<S extends PushSocket = PushSocket> {
  /** Each process's end of the relay. */
  readonly nodes: RelayNode<S>[] = [];
  /** Each process's push target. */
  readonly targets: RelayedTarget<S>[] = [];
  /** Buffers sent between processes so far (one per peer per tick): what a push costs in relay messages. */
  sent = 0;
  /** Buffers each process received so far. */
  readonly received: number[];
  private readonly channels = new Map<string, { queue: Uint8Array[]; reader: FrameReader; held: boolean }>();
  private readonly down = new Set<number>();
  private readonly cuts = new Set<string>();

  constructor(hubs: Hub<S>[]) {
    this.received = new Array<number>(hubs.length).fill(0);
    hubs.forEach((hub, i) => this.start(i, hub, hubs.length));
    for (const node of this.nodes) for (const peer of node.peers) node.linkUp(peer);
  }

  /** Stops delivering one process's requests and presence to another (not its answers) until `release`. */
  hold(from: number, to: number): void {
    this.channel(from, to).held = true;
  }

  /** Delivers what a held channel queued, in order, and lets later frames through. */
  release(from: number, to: number): void {
    this.channel(from, to).held = false;
    this.pump(from, to);
  }

  /** Breaks the link from one process to another (its requests fail at once) until `mend`: a link not yet remade. */
  cut(from: number, to: number): void {
    this.cuts.add(`${from}>${to}`);
  }

  /** Remakes a link that `cut` broke. */
  mend(from: number, to: number): void {
    this.cuts.delete(`${from}>${to}`);
  }

  /** Takes a process down: its links die, and what it was asked is lost. */
  kill(index: number): void {
    this.down.add(index);
    for (const [key, channel] of this.channels) if (key.split(/[>:]/).includes(String(index))) channel.queue.length = 0;
    for (const node of this.nodes) if (node.self !== index) node.peerReset(index);
  }

  /** Brings a process back with an empty hub, as a respawned child: links are remade and uids re-announced. */
  restart(index: number, hub: Hub<S>): void {
    this.down.delete(index);
    for (const [key] of this.channels) if (key.split(/[>:]/).includes(String(index))) this.channels.delete(key);
    this.start(index, hub, this.nodes.length);
    for (const node of this.nodes) {
      if (node.self === index) for (const peer of node.peers) node.linkUp(peer);
      else node.linkUp(index);
    }
  }

  private start(index: number, hub: Hub<S>, count: number): void {
    const node = new RelayNode(hub, {
      self: index, count, send: (peer, bytes) => this.send(index, peer, bytes), reply: (peer, bytes) => this.send(index, peer, bytes, ':answers'),
    });
    if (hub.registry instanceof MemoryRegistry) hub.registry.onUidChange = node.uidChanged;
    this.nodes[index] = node;
    this.targets[index] = new RelayedTarget(node);
  }

  private send(from: number, to: number, bytes: Uint8Array, kind = ''): boolean {
    if (this.down.has(to) || this.down.has(from) || (kind === '' && this.cuts.has(`${from}>${to}`))) return false;
    this.channel(from, to, kind).queue.push(bytes);
    this.sent++;
    this.received[to]!++;
    queueMicrotask(() => this.pump(from, to, kind));
    return true;
  }

  private pump(from: number, to: number, kind = ''): void {
    const channel = this.channel(from, to, kind);
    while (!channel.held && channel.queue.length > 0) {
      for (const f of channel.reader.read(channel.queue.shift()!)) this.nodes[to]!.receive(from, f);
    }
  }

  // Requests and presence go on one ordered channel per direction, answers on another (as a socket
  // answers on the connection a request came on).
  private channel(from: number, to: number, kind = '') {
    const key = `${from}>${to}${kind}`;
    let channel = this.channels.get(key);
    if (!channel) this.channels.set(key, (channel = { queue: [], reader: new FrameReader(), held: false }));
    return channel;
  }
}
