import type { WebSocketLike } from '../../src/client/index.ts';

type Listener = (event: never) => void;

/** An in-memory WebSocket class: each instance is recorded, and the test plays the server's side of it. */
export class FakeWebSocket implements WebSocketLike {
  /** Every socket made, oldest first. */
  static made: FakeWebSocket[] = [];
  protocol = '';
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: number | undefined;
  private readonly listeners = new Map<string, Listener[]>();

  readonly url: string;
  readonly protocols: string | string[] | undefined;

  constructor(url: string, protocols?: string | string[]) {
    this.url = url;
    this.protocols = protocols;
    FakeWebSocket.made.push(this);
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number): void {
    this.readyState = 3;
    this.closedWith = code;
  }

  /** The handshake completes, agreeing to `protocol`. */
  open(protocol = 'pushport.v1'): void {
    this.protocol = protocol;
    this.readyState = 1;
    this.fire('open', {});
  }

  /** The server sends `data`. */
  receive(data: string): void {
    this.fire('message', { data });
  }

  /** The connection ends with `code`. */
  drop(code: number, reason = ''): void {
    this.readyState = 3;
    this.fire('close', { code, reason });
  }

  private fire(type: string, event: object): void {
    for (const listener of this.listeners.get(type) ?? []) (listener as (e: object) => void)(event);
  }
}
