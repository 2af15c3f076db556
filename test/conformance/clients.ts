import { expect } from 'vitest';
import WebSocket from 'ws';
import { LineClient } from '../support/line-client.ts';
import type { ConformanceTarget } from './target.ts';

/** A WebSocket client as the reference's browser snippet is: connect, send the uid, collect pushes. */
export interface WsClient {
  ws: WebSocket;
  messages: string[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a WebSocket (asking for `protocols`, if any) that collects what it receives; resolves once it is open. */
export async function openClient(url: string, protocols?: string[]): Promise<WsClient> {
  const ws = new WebSocket(url, protocols);
  const messages: string[] = [];
  ws.on('message', (data) => messages.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, messages, closed };
}

/** Opens a client; with a uid, identifies (first message) and waits until the server counts it online. */
export async function wsClient(t: ConformanceTarget, uid?: string, path = ''): Promise<WsClient> {
  const { ws, messages, closed } = await openClient(`${t.wsUrl}${path}`);
  if (uid !== undefined) {
    const before = await online(t, uid);
    ws.send(uid);
    await expect.poll(() => online(t, uid), { timeout: 5000 }).toBeGreaterThan(before);
  }
  return { ws, messages, closed };
}

/** Calls the HTTP API with the target's token (or the one given). */
export async function http(t: ConformanceTarget, method: string, path: string, body?: string, token = t.token) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${t.httpUrl}${path}`, { method, body, headers });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, json, headers: res.headers };
}

/** Live connections of a uid. */
export async function online(t: ConformanceTarget, uid: string): Promise<number> {
  return (await http(t, 'GET', `/online/${encodeURIComponent(uid)}`)).json.connections;
}

/** A raw text-port client on a target, like the reference's PHP backend: write lines, read `ok`/`fail`/`error` lines. */
export function textClient(t: ConformanceTarget): Promise<LineClient> {
  return LineClient.open(t.textPort!.port, t.textPort!.host);
}
