import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { describeError, log } from '../log.ts';
import type { Worker } from '../worker.ts';
import { HttpRequest, HttpResponse } from '../protocols/http.ts';

/** What `onWebSocketUpgrade` decided: refuse with a response, or accept and set these properties on the connection. */
export type UpgradeVerdict = { refuse: HttpResponse } | { accept: Record<string, unknown> };

/** Asks the worker's `onWebSocketUpgrade` hook (a pushport extension) about a handshake before it completes. */
export async function decideUpgrade(worker: Worker, request: IncomingMessage): Promise<UpgradeVerdict> {
  if (!worker.onWebSocketUpgrade) return { accept: {} };
  try {
    const answer = await worker.onWebSocketUpgrade(new HttpRequest(request, ''));
    if (answer instanceof HttpResponse) return { refuse: answer };
    return { accept: answer ?? {} };
  } catch (error) {
    log(`onWebSocketUpgrade failed: ${describeError(error)}`);
    return { refuse: new HttpResponse(500, { 'Content-Type': 'text/plain' }, 'Internal Server Error\n') };
  }
}

/** Answers a handshake with a plain HTTP response and closes the socket: no WebSocket is ever opened. */
export function refuseUpgrade(socket: Socket, response: HttpResponse): void {
  const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8');
  const headers = { ...response.headers, 'Content-Length': String(body.length), Connection: 'close' };
  const { STATUS_CODES } = process.getBuiltinModule('node:http');
  const head = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}
