import { transportOf } from '../tcp-connection.ts';
import type { Worker } from '../worker.ts';
import { WebSocketTransport } from './connection.ts';

/**
 * Protocol-level heartbeat (a pushport extension): every `pingInterval` seconds, each client gets a ping frame,
 * and one that has not been heard from since the previous ping (browsers answer pings by themselves) is cut
 * off, so dead peers do not hold memory or count as online. One timer per worker, not one per client, and it
 * walks the worker's own connections: nothing is kept per client beyond the transport's one flag.
 */
export class WebSocketHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly worker: Worker;

  constructor(worker: Worker) {
    this.worker = worker;
  }

  /** A client opened: the beat runs from now on while the worker has connections. */
  start(): void {
    const seconds = this.worker.pingInterval;
    if (seconds <= 0 || this.timer) return;
    this.timer = setInterval(() => this.beat(), seconds * 1000);
    this.timer.unref();
  }

  private beat(): void {
    for (const connection of this.worker.connections.values()) {
      const transport = transportOf(connection);
      if (transport instanceof WebSocketTransport) transport.beat();
    }
    if (this.worker.connections.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
