import type { Socket } from 'node:net';
import type { WebSocketLiveness } from '../transports/websocket-transport.ts';

/**
 * Protocol-level heartbeat (a pushport extension): every `seconds`, each client gets a ping frame, and one
 * that has not been heard from since the previous ping (browsers answer pings by themselves) is cut off, so
 * dead peers do not hold memory or count as online. One timer per worker, not one per client.
 */
export class WebSocketHeartbeat {
  private readonly watched = new Set<WebSocketLiveness>();
  private timer: NodeJS.Timeout | undefined;
  private readonly seconds: () => number;

  constructor(seconds: () => number) {
    this.seconds = seconds;
  }

  /** Watches a new client until its socket closes. */
  watch(live: WebSocketLiveness, socket: Socket): void {
    const seconds = this.seconds();
    if (seconds <= 0) return;
    this.watched.add(live);
    socket.once('close', () => this.watched.delete(live));
    if (!this.timer) {
      this.timer = setInterval(() => this.beat(), seconds * 1000);
      this.timer.unref();
    }
  }

  private beat(): void {
    for (const live of this.watched) {
      if (!live.alive) {
        this.watched.delete(live);
        live.cut();
        continue;
      }
      live.alive = false;
      live.ping();
    }
    if (this.watched.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
