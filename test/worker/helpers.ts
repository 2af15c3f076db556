import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { waitFor } from '../support/poll.ts';

/** The publisher token the workers test project configures. */
export const token = 'test-token';
const origin = 'http://pushport.test';

/** A client WebSocket with what it has received, as a test sees it. */
export interface TestClient {
  ws: WebSocket;
  /** The subprotocol the server chose (empty when none). */
  protocol: string;
  messages: string[];
  closed: Promise<{ code: number; reason: string }>;
  /** Waits for the n-th message (1-based) this client receives. */
  nth(n: number): Promise<string>;
}

/** Opens a WebSocket to the Worker (`path` may carry ?uid=) without identifying; `protocols` as a client offers them. */
export async function open(path = '/ws', protocols?: string): Promise<TestClient> {
  const headers: Record<string, string> = { Upgrade: 'websocket' };
  if (protocols !== undefined) headers['Sec-WebSocket-Protocol'] = protocols;
  const res = await exports.default.fetch(`${origin}${path}`, { headers });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const messages: string[] = [];
  ws.addEventListener('message', (e) => {
    messages.push(String(e.data));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })));
  const nth = (n: number) => waitFor(() => messages.length >= n, `message #${n}`).then(() => messages[n - 1]!);
  return { ws, protocol: res.headers.get('sec-websocket-protocol') ?? '', messages, closed, nth };
}

/** Opens a WebSocket and identifies it the reference's way (first message = uid), then waits until it counts. */
export async function client(uid: string, tabsBefore = 0): Promise<TestClient> {
  const c = await open();
  c.ws.send(uid);
  await waitFor(async () => (await online(uid)) > tabsBefore, `${uid} online`);
  return c;
}

/** Calls the HTTP API with the publisher token. */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return exports.default.fetch(`${origin}${path}`, { ...init, headers });
}

/** POSTs a body to the API and returns status and JSON. */
export async function post(path: string, body: string): Promise<{ status: number; json: any }> {
  const res = await api(path, { method: 'POST', body });
  return { status: res.status, json: await res.json() };
}

/** Live connections of a uid, through the API. */
export async function online(uid: string): Promise<number> {
  const res = await api(`/online/${encodeURIComponent(uid)}`);
  return ((await res.json()) as { connections: number }).connections;
}
