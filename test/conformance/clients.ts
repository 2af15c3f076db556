import { expect } from 'vitest';
import { signClientToken } from '../../src/index.ts';
import { LineClient } from '../support/line-client.ts';
import { openClient, type WsClient } from '../support/ws-client.ts';
import type { ConformanceTarget } from './target.ts';

/** The query that names a client's uid: `uid=…`, or in signed mode `token=…` signed for it. */
export async function uidQuery(t: ConformanceTarget, uid: string): Promise<string> {
  return t.clientSecret === undefined ? `uid=${encodeURIComponent(uid)}` : `token=${await signClientToken(uid, t.clientSecret, 300)}`;
}

/**
 * Opens a client; with a uid, identifies (the first message, or in signed mode a token in the URL) and waits
 * until the server counts it online.
 */
export async function wsClient(t: ConformanceTarget, uid?: string, path = ''): Promise<WsClient> {
  const before = uid === undefined ? 0 : await online(t, uid);
  const signed = uid !== undefined && t.clientSecret !== undefined;
  const client = await openClient(signed ? `${t.wsUrl}/?${await uidQuery(t, uid)}` : `${t.wsUrl}${path}`);
  if (uid !== undefined) {
    if (!signed) client.ws.send(uid);
    await expect.poll(() => online(t, uid), { timeout: 5000 }).toBeGreaterThan(before);
  }
  return client;
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
