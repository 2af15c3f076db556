import type { PushSocket } from '../src/index.ts';

/** What each hibernatable socket carries across evictions. */
export interface SocketAttachment {
  id: string;
  uid?: string;
  /** When the socket connected (ms since the epoch); pings after that are timed by the runtime. */
  since: number;
  /** The client asked for pushport.v1: every push reaches it as `<seq> <message>`. */
  v1?: boolean;
  /** `?since=` of a client that has not identified yet: the seq its first message resumes after. */
  resumeAfter?: number;
}

const OPEN = 1;

/** A workerd WebSocket as the hub sees it. */
export class EdgeSocket implements PushSocket {
  readonly id: string;
  readonly ws: WebSocket;
  readonly v1: boolean;
  lastSeq?: number;
  /** The seq a v1 client resumes after (`?since=`), if it asked. */
  readonly resumeAfter: number | undefined;
  private readonly connectedAt: number;

  constructor(ws: WebSocket, attachment: SocketAttachment) {
    this.ws = ws;
    this.id = attachment.id;
    this.v1 = attachment.v1 === true;
    this.resumeAfter = attachment.resumeAfter;
    this.connectedAt = attachment.since;
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

  /** Records what must survive hibernation: once accepted, and again with the uid it identified as. */
  remember(uid?: string): void {
    const attachment: SocketAttachment = { id: this.id, since: this.connectedAt };
    if (this.v1) attachment.v1 = true;
    if (uid !== undefined) attachment.uid = uid;
    // Once identified, the resume point has been used: only a socket still waiting for its uid keeps it.
    else if (this.resumeAfter !== undefined) attachment.resumeAfter = this.resumeAfter;
    this.ws.serializeAttachment(attachment);
  }
}
