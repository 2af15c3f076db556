import { connect as tcpConnect, type Socket } from 'node:net';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { ConformanceTarget } from './target.ts';

/** A WebSocket client as the reference's browser snippet is: connect, send the uid, collect pushes. */
export interface WsClient {
  ws: WebSocket;
  messages: string[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a client; with a uid, identifies (first message) and waits until the server counts it online. */
export async function wsClient(t: ConformanceTarget, uid?: string, path = ''): Promise<WsClient> {
  const ws = new WebSocket(`${t.wsUrl}${path}`);
  const messages: string[] = [];
  ws.on('message', (data) => messages.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
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

/** A raw text-port client, like the reference's PHP backend: write lines, read `ok`/`fail`/`error` lines. */
export class TextClient {
  readonly socket: Socket;
  private buffer = '';
  private readonly lines: string[] = [];
  readonly ended: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let at: number;
      while ((at = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, at));
        this.buffer = this.buffer.slice(at + 1);
      }
    });
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Connects to a target's text port. */
  static async open(t: ConformanceTarget): Promise<TextClient> {
    const socket = tcpConnect(t.textPort!.port, t.textPort!.host);
    await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    return new TextClient(socket);
  }

  /** Writes raw text (lines must carry their own newlines). */
  write(text: string): void {
    this.socket.write(text);
  }

  /** Waits for the next `n` reply lines (5 s at most). */
  async read(n = 1): Promise<string[]> {
    await expect.poll(() => this.lines.length, { timeout: 5000 }).toBeGreaterThanOrEqual(n);
    return this.lines.splice(0, n);
  }

  close(): void {
    this.socket.destroy();
  }
}
