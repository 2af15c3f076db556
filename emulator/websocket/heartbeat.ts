import { transportOf, type TcpConnection } from '../tcp-connection.ts';
import type { Worker } from '../worker.ts';
import { WebSocketTransport } from './connection.ts';

/**
 * Protocol-level heartbeat (a pushport extension): every `pingInterval` seconds, each client gets a ping frame,
 * and one that has not been heard from since the previous ping (browsers answer pings by themselves) is cut
 * off, so dead peers do not hold memory or count as online. One timer per worker, not one per client, and it
 * walks the worker's own connections: nothing is kept per client beyond the transport's one flag.
 *
 * A beat visits at most `perTurn` connections per turn of the event loop and goes on in the next: a ping is a
 * write, and a push or broadcast that comes in during a beat over thousands of clients then waits for one
 * slice of pings, not for all of them.
 */
export class WebSocketHeartbeat {
  /** Connections visited per turn of the event loop. */
  static readonly perTurn = 128;
  private timer: NodeJS.Timeout | undefined;
  private readonly worker: Worker;
  // The beat under way: the connections it has not visited yet (a Map's iterator also meets ones added since).
  private beating: MapIterator<TcpConnection> | undefined;

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
    if (this.beating) return;
    this.beating = this.worker.connections.values();
    this.slice();
  }

  private readonly slice = (): void => {
    const connections = this.beating!;
    for (let left = WebSocketHeartbeat.perTurn; left > 0; left--) {
      const next = connections.next();
      if (next.done) return this.beatDone();
      const transport = transportOf(next.value);
      if (transport instanceof WebSocketTransport) transport.beat();
    }
    setImmediate(this.slice);
  };

  private beatDone(): void {
    this.beating = undefined;
    if (this.worker.connections.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
