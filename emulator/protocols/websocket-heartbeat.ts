import type { WebSocket } from 'ws';

/**
 * Protocol-level heartbeat (a pushport extension): every `seconds`, each client gets a ping frame, and one
 * that has not answered the previous ping (browsers do so by themselves) is cut off, so dead peers
 * do not hold memory or count as online.
 */
export class WebSocketHeartbeat {
  private readonly alive = new Map<WebSocket, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private readonly seconds: () => number;

  constructor(seconds: () => number) {
    this.seconds = seconds;
  }

  /** Watches a new client. */
  watch(ws: WebSocket): void {
    const seconds = this.seconds();
    if (seconds <= 0) return;
    this.alive.set(ws, true);
    const heard = () => this.alive.has(ws) && this.alive.set(ws, true);
    ws.on('pong', heard);
    ws.on('message', heard);
    ws.once('close', () => this.alive.delete(ws));
    if (!this.timer) {
      this.timer = setInterval(() => this.beat(), seconds * 1000);
      this.timer.unref();
    }
  }

  private beat(): void {
    for (const [ws, alive] of this.alive) {
      if (!alive) {
        this.alive.delete(ws);
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
    if (this.alive.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
