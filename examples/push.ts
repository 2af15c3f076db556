// The reference's push program, line for line: browsers connect on the WebSocket port and send their uid as the
// first message; a backend writes one JSON line with a "uid" to the text port and gets back "ok" or "fail".
// Run: node examples/push.ts start -d   (HOST / WS_PORT / TEXT_PORT override 0.0.0.0 / 1234 / 5678)
// Faithful to the reference, flaws included: count must stay 1, a second tab with the same uid replaces the first.
import { Worker, type TcpConnection } from 'pushport/emulator';

const host = process.env.HOST ?? '0.0.0.0';

// The Worker container listening on port 1234.
const worker = new Worker(`websocket://${host}:${process.env.WS_PORT ?? '1234'}`);

// The process count must be 1 here: each process has its own uidConnections.
worker.count = 1;
// Once the worker process starts, open the inner text port that backends push through.
worker.onWorkerStart = () => {
  // Text protocol: one line of text per message.
  const innerTextWorker = new Worker(`text://${host}:${process.env.TEXT_PORT ?? '5678'}`);
  innerTextWorker.onMessage = (connection: TcpConnection, buffer: string) => {
    // A JSON object whose uid picks the page to push to.
    let uid: unknown;
    try {
      uid = (JSON.parse(buffer) as { uid?: unknown }).uid;
    } catch {
      // PHP's json_decode returns null on bad JSON and the lookup then fails: same answer here.
    }
    const ret = sendMessageByUid(String(uid), buffer);
    // Reply with the push result.
    connection.send(ret ? 'ok' : 'fail');
  };
  // ## listen ##
  innerTextWorker.listen();
};

// $worker->uidConnections in PHP: uid → connection.
const uidConnections = new Map<string, TcpConnection>();

// When a client sends a message.
worker.onMessage = (connection: TcpConnection, data: string) => {
  // Not identified yet: the first message is the uid (no real authentication, as in the reference).
  if (connection.uid === undefined) {
    connection.uid = data;
    uidConnections.set(data, connection);
  }
};

// When a client connection closes.
worker.onClose = (connection: TcpConnection) => {
  if (typeof connection.uid === 'string') uidConnections.delete(connection.uid);
};

/** Pushes to every identified connection. */
export function broadcast(message: string): void {
  for (const connection of uidConnections.values()) connection.send(message);
}

// Push to one uid.
function sendMessageByUid(uid: string, message: string): boolean {
  const connection = uidConnections.get(uid);
  if (!connection) return false;
  connection.send(message);
  return true;
}

// Run every worker.
Worker.runAll();
