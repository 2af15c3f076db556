import WebSocket, { type ClientOptions } from 'ws';

/** A WebSocket client as a test sees it: what it received, in order, and how it closed. */
export interface WsClient {
  ws: WebSocket;
  /** Every text message received, in order (binary ones as UTF-8). */
  messages: string[];
  closed: Promise<{ code: number; reason: string }>;
}

/** How an upgrade ended: the open client, or the server's HTTP refusal. */
export type Upgrade = { open: WsClient } | { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * The suite's one WebSocket test client (the `ws` package): opens `url` (asking for `protocols`, if any) and
 * collects what it receives; resolves with the open client, or with the refusal when the server answers the
 * upgrade with a plain HTTP response.
 */
export function upgrade(url: string, protocols?: string[], options?: ClientOptions): Promise<Upgrade> {
  const ws = new WebSocket(url, protocols, options);
  const messages: string[] = [];
  ws.on('message', (data) => messages.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ open: { ws, messages, closed } }));
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        // Closing a socket that never opened reports an error; the refusal is the expected end here.
        ws.removeAllListeners('error');
        ws.on('error', () => {});
        ws.terminate();
      });
    });
    ws.once('error', reject);
  });
}

/** Opens a WebSocket that collects what it receives; resolves once it is open, rejects with the refusal if refused. */
export async function openClient(url: string, protocols?: string[], options?: ClientOptions): Promise<WsClient> {
  const outcome = await upgrade(url, protocols, options);
  if ('open' in outcome) return outcome.open;
  throw new Error(`the upgrade was refused with ${outcome.status}: ${outcome.body}`);
}
