import type { LivenessWatch, WebSocketTransport } from './connection.ts';

/**
 * Protocol-level heartbeat (a pushport extension): every `seconds`, each client gets a ping frame, and one
 * that has not been heard from since the previous ping (browsers answer pings by themselves) is cut off, so
 * dead peers do not hold memory or count as online. One timer per worker, not one per client.
 *
 * A beat visits at most `perTurn` clients per turn of the event loop and goes on in the next turn: a ping is
 * a write, and a push or broadcast that comes in during a beat over thousands of clients then waits for one
 * slice of pings, not for all of them.
 */
export class WebSocketHeartbeat implements LivenessWatch {
  /** Clients pinged (or cut) per turn of the event loop. */
  static readonly perTurn = 128;
  private readonly watched = new Set<WebSocketTransport>();
  private timer: NodeJS.Timeout | undefined;
  private readonly seconds: () => number;
  // The beat under way: the clients it has not visited yet (a Set's iterator also meets clients added since).
  private beating: SetIterator<WebSocketTransport> | undefined;

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
    if (this.beating) return;
    this.beating = this.watched.values();
    this.slice();
  }

  private readonly slice = (): void => {
    const clients = this.beating!;
    for (let left = WebSocketHeartbeat.perTurn; left > 0; left--) {
      const next = clients.next();
      if (next.done) return this.beatDone();
      const transport = next.value;
      if (!transport.alive) {
        this.watched.delete(transport);
        transport.cut();
        continue;
      }
      transport.alive = false;
      transport.ping();
    }
    setImmediate(this.slice);
  };

  private beatDone(): void {
    this.beating = undefined;
    if (this.watched.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
