/** The part of a WHATWG WebSocket the client uses: the browser's, Node's global one, or the `ws` package's. */
export interface WebSocketLike {
  readonly protocol: string;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
}

/** A WebSocket class: `new (url, protocols)`. */
export type WebSocketClass = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The runtime's own WebSocket class, or a reason to bring one. */
export function globalWebSocket(): WebSocketClass {
  const found = (globalThis as { WebSocket?: WebSocketClass }).WebSocket;
  if (!found) throw new TypeError('this runtime has no global WebSocket: pass one as the WebSocket option (e.g. from the ws package)');
  return found;
}
