import {
  CloseCode, Hub, MemoryRegistry, RelayedTarget, TextPushSession, answerHubRequest, createPushApp, decideConnect,
  type Relay,
} from '../../src/index.ts';
import { describeError, log } from '../log.ts';
import { HttpResponse } from '../protocols/http.ts';
import { formatSocketName } from '../socket-name.ts';
import { stopIntent } from '../process/stop-intent.ts';
import { TcpConnection } from '../tcp-connection.ts';
import { Worker } from '../worker.ts';
import { textPortNeedsToken, type PushServerConfig } from './config.ts';
import { ConnectionSocket } from './connection-socket.ts';
import { IdentifyDeadline } from './identify-deadline.ts';
import { batchedReplies } from './reply-batcher.ts';
import { pidFileFor, relaySocketFor } from '../run-paths.ts';
import { SocketRelay } from './socket-relay.ts';

const alone: Relay = { peers: 0, ask: async () => [] };

/**
 * The ready push server on the emulator: `count` processes share the WebSocket + HTTP port and the text
 * port with SO_REUSEPORT; each holds its own clients in a Hub and relays pushes to the others.
 * Returns the main Worker; call Worker.runAll() next.
 */
export function definePushServer(config: PushServerConfig): Worker {
  // One knob for what may arrive: a text line, or a WebSocket message (room for a line's \r\n).
  TcpConnection.defaultMaxPackageSize = config.limits.maxMessageBytes + 2;
  Worker.pidFile = pidFileFor(config.port);
  const main = new Worker(formatSocketName('websocket', config.host, config.port));
  main.name = 'pushport';
  main.count = config.count;
  // Every process binds its own socket: the kernel spreads clients, and a reload never stops accepting.
  main.reusePort = true;
  main.pingInterval = config.heartbeatSeconds;
  main.onWorkerStart = (worker) => startProcess(worker, config);
  return main;
}

// Synchronous on purpose: the hooks must be in place before the first client is accepted.
function startProcess(main: Worker, config: PushServerConfig): void {
  const hub = new Hub<ConnectionSocket>(new MemoryRegistry(), config.limits);
  let relay = alone;
  let closeRelay = () => {};
  if (config.count > 1) {
    const socketRelay = new SocketRelay({
      self: main.id, count: config.count, pathOf: (i) => relaySocketFor(config.port, i), answer: (r) => answerHubRequest(hub, r),
    });
    // Until it listens, peers count this process as absent, as they do while it restarts.
    socketRelay.listen().catch((error: unknown) => log(`relay socket failed, pushes from other processes will miss this one: ${describeError(error)}`));
    relay = socketRelay;
    closeRelay = () => socketRelay.close();
  }
  const target = new RelayedTarget(hub, relay);
  const socketOf = (connection: TcpConnection) => ConnectionSocket.of(connection, config.maxSendBufferBytes);
  const deadline = new IdentifyDeadline(hub.registry, config.limits.identifyTimeoutSeconds);
  // The kernel spreads clients evenly over the processes, so each takes its share of MAX_CONNECTIONS.
  const maxConnections = Math.ceil(config.maxConnections / config.count);

  const app = createPushApp({ settings: () => ({ token: config.token, limits: config.limits }), target: () => target });
  main.onRequest = app.fetch;
  main.onWebSocketUpgrade = async (request) => {
    if (main.connections.size >= maxConnections) {
      const error = `server is full: it holds MAX_CONNECTIONS=${config.maxConnections} WebSocket clients; try again later`;
      return new HttpResponse(503, { 'Content-Type': 'application/json', 'Retry-After': '5' }, JSON.stringify({ error }));
    }
    const decision = await decideConnect(
      { uid: request.query.get('uid') ?? undefined, token: request.query.get('token') ?? undefined },
      { clientSecret: config.clientSecret, maxUidBytes: config.limits.maxUidBytes },
    );
    if ('error' in decision) {
      return new HttpResponse(decision.status, { 'Content-Type': 'application/json' }, JSON.stringify({ error: decision.error }));
    }
    return { pushUid: decision.uid };
  };
  main.onConnect = (connection) => {
    connection.maxSendBufferSize = config.maxSendBufferBytes + config.limits.maxMessageBytes;
    hub.connect(socketOf(connection));
    deadline.watch(socketOf(connection));
  };
  main.onWebSocketConnect = (connection) => {
    if (typeof connection.pushUid === 'string') hub.identify(socketOf(connection), connection.pushUid);
  };
  main.onMessage = (connection, data) => {
    // The edge answers ping at any time without treating it as a uid; so do we.
    if (data === 'ping') return void connection.send('pong');
    hub.receive(socketOf(connection), typeof data === 'string' ? data : new Uint8Array(data as Buffer));
  };
  main.onClose = (connection) => {
    hub.disconnect(socketOf(connection));
    deadline.forget(socketOf(connection));
  };
  main.onWorkerStop = () => {
    const reason = stopIntent.restarting ? 'server restarting' : 'server stopping';
    for (const socket of hub.registry.identified()) socket.close(CloseCode.goingAway, reason);
    deadline.stop();
    closeRelay();
  };

  const text = new Worker(formatSocketName('text', config.textHost, config.textPort));
  text.name = 'pushport-text';
  text.reusePort = true;
  const sessions = new WeakMap<TcpConnection, TextPushSession>();
  const token = textPortNeedsToken(config) ? config.token : undefined;
  text.onConnect = (connection) => {
    sessions.set(connection, new TextPushSession({
      target, token, maxUidBytes: config.limits.maxUidBytes,
      reply: batchedReplies((lines) => connection.send(lines)),
      // After the replies already queued for this tick.
      close: () => process.nextTick(() => connection.close()),
    }));
  };
  text.onMessage = (connection, line) => sessions.get(connection)?.line(String(line));
  text.listen();
}
