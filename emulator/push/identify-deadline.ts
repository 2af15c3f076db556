import { CloseCode, type PushSocket } from '../../src/hub/push-socket.ts';
import type { UidRegistry } from '../../src/hub/registry.ts';
import { identifyTimeoutReason } from '../../src/limits.ts';

/**
 * Closes sockets that send no uid within IDENTIFY_TIMEOUT_SECONDS (1008 and the reason). One sweep a second
 * per process, not a timer per socket: sockets are kept in connect order, so a sweep stops at the first one
 * not yet due, and identified or closed ones are simply dropped when reached.
 */
export class IdentifyDeadline<S extends PushSocket> {
  private readonly connectedAt = new Map<S, number>();
  private readonly registry: UidRegistry<S>;
  private readonly timeoutMs: number;
  private readonly reason: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(registry: UidRegistry<S>, timeoutSeconds: number) {
    this.registry = registry;
    this.timeoutMs = timeoutSeconds * 1000;
    this.reason = identifyTimeoutReason(timeoutSeconds);
  }

  /** A socket just connected without a uid. */
  watch(socket: S, now = Date.now()): void {
    if (this.timeoutMs === 0) return;
    this.connectedAt.set(socket, now);
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), 1000);
      this.timer.unref();
    }
  }

  /** A socket closed: stop watching it. */
  forget(socket: S): void {
    this.connectedAt.delete(socket);
  }

  /** Closes every watched socket still without a uid at `now`; returns how many it closed. */
  sweep(now = Date.now()): number {
    let closed = 0;
    for (const [socket, since] of this.connectedAt) {
      if (this.registry.uidOf(socket) === undefined) {
        if (since + this.timeoutMs > now) break;
        this.registry.remove(socket);
        socket.close(CloseCode.policy, this.reason);
        closed++;
      }
      this.connectedAt.delete(socket);
    }
    if (this.connectedAt.size === 0) this.stop();
    return closed;
  }

  /** Stops the sweep (the process is stopping). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
