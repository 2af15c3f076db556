/**
 * The bench's yardstick: the reference's push job (Workerman's `Worker::listen()` example) as a small, carefully
 * tuned Node program on `ws`. It is not pushport code; `npm run bench` measures pushport against it in the same run.
 * - WebSocket port: a client's first text message is its uid (the browser snippet's protocol); later ones are ignored.
 * - Text port: one JSON line per push; the exact line goes to every socket of its `uid`; reply `ok` or `fail`.
 * - Tuned the way a careful Node engineer would: lines are cut from Buffers by offset, every socket written during
 *   one incoming chunk is corked once and uncorked after it, and the chunk's replies leave in one write.
 * Env: WS_PORT, TEXT_PORT, HOST (127.0.0.1); PUSH_EXT_BROADCAST=1 sends a line with `"broadcast":true` to everyone.
 */
import { createServer, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const host = process.env.HOST ?? '127.0.0.1';
const broadcastLines = process.env.PUSH_EXT_BROADCAST === '1';
const sockets = new Map<string, Set<WebSocket>>();
const transportOf = new WeakMap<WebSocket, Socket>();
const sendOptions = { binary: false, compress: false, fin: true };

const wss = new WebSocketServer({ host, port: Number(process.env.WS_PORT ?? 1234), perMessageDeflate: false, clientTracking: false, maxPayload: 65536 });
wss.on('connection', (ws, request) => {
  transportOf.set(ws, request.socket as Socket);
  let uid: string | undefined;
  ws.on('message', (data: Buffer) => {
    if (uid !== undefined) return;
    uid = data.toString();
    const set = sockets.get(uid) ?? new Set<WebSocket>();
    sockets.set(uid, set.add(ws));
  });
  ws.on('close', () => {
    const set = uid === undefined ? undefined : sockets.get(uid);
    if (set?.delete(ws) && set.size === 0) sockets.delete(uid!);
  });
  ws.on('error', () => {});
});

// Sockets corked while one text chunk is handled, uncorked together once it is done.
const corked = new Set<Socket>();
function send(ws: WebSocket, line: Buffer): void {
  const transport = transportOf.get(ws)!;
  if (!corked.has(transport)) {
    corked.add(transport);
    transport.cork();
  }
  ws.send(line, sendOptions);
}

// Delivers one line and says what the reference replies to it.
function push(line: Buffer): string {
  let message: unknown;
  try {
    message = JSON.parse(line.toString());
  } catch {
    return 'error bad json\n';
  }
  const fields = (message ?? {}) as { uid?: unknown; broadcast?: unknown };
  if (broadcastLines && fields.broadcast === true) {
    for (const set of sockets.values()) for (const ws of set) send(ws, line);
    return 'ok\n';
  }
  const set = fields.uid === undefined ? undefined : sockets.get(String(fields.uid));
  if (!set) return 'fail\n';
  for (const ws of set) send(ws, line);
  return 'ok\n';
}

createServer({ noDelay: true }, (backend) => {
  let tail: Buffer | undefined;
  backend.on('data', (chunk: Buffer) => {
    const buffer = tail ? Buffer.concat([tail, chunk]) : chunk;
    let replies = '';
    let start = 0;
    for (let newline = buffer.indexOf(10); newline !== -1; newline = buffer.indexOf(10, start)) {
      const end = newline > start && buffer[newline - 1] === 13 ? newline - 1 : newline;
      if (end > start) replies += push(buffer.subarray(start, end));
      start = newline + 1;
    }
    tail = start < buffer.length ? buffer.subarray(start) : undefined;
    for (const transport of corked) transport.uncork();
    corked.clear();
    if (replies) backend.write(replies);
  });
  backend.on('error', () => {});
}).listen(Number(process.env.TEXT_PORT ?? 5678), host);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
