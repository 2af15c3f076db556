import type { PushSocket } from '../src/index.ts';

/** What each hibernatable socket carries across evictions. */
export interface SocketAttachment {
  id: string;
  uid?: string;
  /** When the socket connected (ms since the epoch); pings after that are timed by the runtime. */
  since: number;
}

const OPEN = 1;

/** A workerd WebSocket as the hub sees it. */
export class EdgeSocket implements PushSocket {
  readonly id: string;
  readonly ws: WebSocket;

  constructor(ws: WebSocket, id: string) {
    this.ws = ws;
    this.id = id;
  }

  send(message: string): boolean {
    // A socket that is closing still accepts send() on some paths; it must not count as delivered.
    if (this.ws.readyState !== OPEN) return false;
    try {
      this.ws.send(message);
      return true;
    } catch {
      return false;
    }
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** Records what must survive hibernation. */
  remember(attachment: SocketAttachment): void {
    this.ws.serializeAttachment(attachment);
  }
}
