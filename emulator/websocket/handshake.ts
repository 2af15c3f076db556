import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const KEY = /^[+/0-9A-Za-z]{22}==$/;

/** Why a handshake cannot become a WebSocket, as an HTTP status and a line a client developer can act on. */
export interface HandshakeRefusal {
  status: number;
  reason: string;
  /** Headers the refusal must carry: the version this server speaks, for a client that asked for another (RFC 6455 §4.4). */
  headers?: Record<string, string>;
}

/** Checks an upgrade request against RFC 6455 §4.2.1; undefined when it may proceed. */
export function checkHandshake(request: IncomingMessage): HandshakeRefusal | undefined {
  if (request.method !== 'GET') return { status: 405, reason: 'a WebSocket handshake must be a GET' };
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return { status: 400, reason: 'Upgrade must be websocket' };
  const key = request.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !KEY.test(key.trim())) return { status: 400, reason: 'missing or invalid Sec-WebSocket-Key' };
  const version = request.headers['sec-websocket-version'];
  if (version !== '13') return { status: 426, reason: 'Sec-WebSocket-Version must be 13', headers: { 'Sec-WebSocket-Version': '13' } };
  return undefined;
}

/** The 101 response that opens the WebSocket, with the subprotocol chosen if any; no extensions, so every frame is plain. */
export function acceptResponse(request: IncomingMessage, subprotocol?: string): string {
  const key = String(request.headers['sec-websocket-key']).trim();
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  const chosen = subprotocol ? `Sec-WebSocket-Protocol: ${subprotocol}\r\n` : '';
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${chosen}\r\n`;
}
