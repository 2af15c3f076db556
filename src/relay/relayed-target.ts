import type { Hub, HubStats } from '../hub/hub.ts';
import type { PushSocket } from '../hub/push-socket.ts';
import type { PushTarget } from '../http/push-target.ts';
import type { Push } from '../wire/push-message.ts';
import { mergeStats, processStats, type Relay } from './hub-request.ts';

const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/**
 * The whole server as one push target, from any one of its processes: this process's hub plus the others'
 * through the relay. A push is counted once, here, whichever process holds the sockets.
 */
export class RelayedTarget<S extends PushSocket = PushSocket> implements PushTarget {
  private readonly hub: Hub<S>;
  private readonly relay: Relay;
  private waiting: { push: Push; local: number; resolve: (n: number) => void; reject: (e: Error) => void }[] = [];

  constructor(hub: Hub<S>, relay: Relay) {
    this.hub = hub;
    this.relay = relay;
  }

  push(uid: string, message: string): number | Promise<number> {
    // Delivered here at once, so pushes to local sockets keep their order whatever the peers do.
    const local = this.hub.deliver(uid, message);
    if (this.relay.peers === 0) return this.hub.record(local);
    return new Promise((resolve, reject) => {
      this.waiting.push({ push: { uid, message }, local, resolve, reject });
      // Pushes made in the same tick (a pipelined text stream) cross to the peers as one request.
      if (this.waiting.length === 1) queueMicrotask(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const remote = await this.relay.ask({ op: 'deliverMany', pushes: batch.map((w) => w.push) });
      batch.forEach((w, i) => w.resolve(this.hub.record(w.local + sum(remote.map((r) => r[i] ?? 0)))));
    } catch (err) {
      for (const w of batch) w.reject(err as Error);
    }
  }

  async pushMany(pushes: Push[]): Promise<number[]> {
    const local = pushes.map((p) => this.hub.deliver(p.uid, p.message));
    const remote = await this.relay.ask({ op: 'deliverMany', pushes });
    return local.map((n, i) => this.hub.record(n + sum(remote.map((r) => r[i] ?? 0))));
  }

  async broadcast(message: string): Promise<number> {
    const delivered = this.hub.deliverAll(message) + sum(await this.relay.ask({ op: 'deliverAll', message }));
    this.hub.counters.broadcasts++;
    this.hub.counters.delivered += delivered;
    return delivered;
  }

  async online(uid: string): Promise<number> {
    return this.hub.online(uid) + sum(await this.relay.ask({ op: 'online', uid }));
  }

  async kick(uid: string, reason?: string): Promise<number> {
    return this.hub.kick(uid, reason) + sum(await this.relay.ask({ op: 'kick', uid, reason }));
  }

  async stats(): Promise<HubStats> {
    return mergeStats([processStats(this.hub), ...(await this.relay.ask({ op: 'stats' }))]);
  }
}
