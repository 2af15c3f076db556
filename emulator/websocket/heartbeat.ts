import type { LivenessWatch, WebSocketTransport } from './connection.ts';

/**
 * Protocol-level heartbeat (a pushport extension): every `seconds`, each client gets a ping frame, and one
 * that has not been heard from since the previous ping (browsers answer pings by themselves) is cut off, so
 * dead peers do not hold memory or count as online. One timer per worker, not one per client.
 */
export class WebSocketHeartbeat implements LivenessWatch {
  private readonly watched = new Set<WebSocketTransport>();
  private timer: NodeJS.Timeout | undefined;
  private readonly seconds: () => number;

  constructor(seconds: () => number) {
    this.seconds = seconds;
  }

  /** Watches a new client until it closes. */
  watch(transport: WebSocketTransport): void {
    const seconds = this.seconds();
    if (seconds <= 0) return;
    this.watched.add(transport);
    if (!this.timer) {
      this.timer = setInterval(() => this.beat(), seconds * 1000);
      this.timer.unref();
    }
  }

  /** A client closed. */
  forget(transport: WebSocketTransport): void {
    this.watched.delete(transport);
  }

  private beat(): void {
    for (const transport of this.watched) {
      if (!transport.alive) {
        this.watched.delete(transport);
        transport.cut();
        continue;
      }
      transport.alive = false;
      transport.ping();
    }
    if (this.watched.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
