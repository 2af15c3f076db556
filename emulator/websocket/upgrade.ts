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

/** A request node:http could not parse, with what it tells us: its parser's error code and the bytes it choked on. */
type ParseError = Error & { code?: string; rawPacket?: Buffer };

/**
 * Answers a request node:http could not parse, as node:http does on its own but with a reason a client
 * developer can act on: 414 for a request line past the header limit, 431 for headers past it, 408 for one
 * that took too long, else 400.
 */
export function refuseUnparsed(error: ParseError, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  const limit = process.getBuiltinModule('node:http').maxHeaderSize;
  let status = 400;
  let reason = 'malformed HTTP request';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    reason = 'the request did not arrive in time';
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    // The bytes it choked on start with the method and hold no line end: the request line alone is too long.
    const packet = error.rawPacket;
    const lineOnly = packet !== undefined && /^[A-Z]+ /.test(packet.subarray(0, 16).toString('latin1')) && !packet.includes('\r\n');
    status = lineOnly ? 414 : 431;
    reason = lineOnly ? `request line (URL) longer than ${limit} bytes` : `request headers larger than ${limit} bytes`;
  }
  refuseUpgrade(socket, new HttpResponse(status, { 'Content-Type': 'text/plain' }, `${reason}\n`));
}
