import { connect, type Socket } from 'node:net';
import { onCleanup } from './cleanup.ts';

const CRLF2 = Buffer.from('\r\n\r\n');

/** A request's text: method, path, Bearer token and body, kept-alive HTTP/1.1. */
export function httpRequest(method: string, path: string, port: number, token: string, body = ''): string {
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n`
    + `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/**
 * One kept-alive HTTP/1.1 connection that may carry many requests in flight (pipelining): responses come back
 * in order, read with Content-Length or chunked bodies. Node's fetch caps near 2,000 requests/s here, far
 * below what the server under test can answer; this costs the load client a parse per response.
 */
export class RawHttpConnection {
  private readonly socket: Socket;
  private pending = Buffer.alloc(0);
  private readonly unregister: () => void;
  /** Each response, in request order. */
  onResponse: (status: number, body: Buffer) => void = () => {};
  /** Set once the server closed it or it failed. */
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.unregister = onCleanup(() => this.close());
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  /** Connects to 127.0.0.1:port. */
  static open(port: number, timeoutMs = 10_000): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      const timer = setTimeout(() => socket.destroy(new Error(`port ${port}: no connection in ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new RawHttpConnection(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Writes one or more whole requests. */
  write(requests: string): void {
    if (!this.closed) this.socket.write(requests);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
    this.unregister();
  }

  private receive(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const used = this.response(buf);
      if (used === 0) break;
      buf = buf.subarray(used);
    }
    this.pending = Buffer.from(buf);
  }

  // Bytes of the whole response at the start of `buf`, or 0 when it is not all there yet.
  private response(buf: Buffer): number {
    const headEnd = buf.indexOf(CRLF2);
    if (headEnd < 0) return 0;
    const head = buf.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
    let at = headEnd + 4;
    if (length !== undefined) {
      if (buf.length < at + Number(length)) return 0;
      this.onResponse(status, buf.subarray(at, at + Number(length)));
      return at + Number(length);
    }
    if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      this.onResponse(status, Buffer.alloc(0));
      return at;
    }
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return 0;
      const size = Number.parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (buf.length < lineEnd + 2 + size + 2) return 0;
      if (size === 0) {
        this.onResponse(status, Buffer.concat(parts));
        return lineEnd + 4;
      }
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
}
