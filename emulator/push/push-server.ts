import { existsSync } from 'node:fs';
// Module by module, not the src/ barrel: the HTTP API (Hono) is loaded only when a first HTTP request comes.
import { decideConnect } from '../../src/auth/connect-identity.ts';
import { Hub } from '../../src/hub/hub.ts';
import { CloseCode } from '../../src/hub/push-socket.ts';
import { offersV1, V1_PROTOCOL } from '../../src/wire/v1-frame.ts';
import { DurablePushes } from '../../src/mailbox/durable-pushes.ts';
import { Mailbox } from '../../src/mailbox/mailbox.ts';
import { MemoryRegistry } from '../../src/hub/registry.ts';
import { RelayedOps } from '../../src/ops/relayed-ops.ts';
import { RelayNode } from '../../src/relay/relay-node.ts';
import { RelayedTarget } from '../../src/relay/relayed-target.ts';
import { RelayedGroups } from '../../src/relay/relayed-groups.ts';
import { GroupStore } from '../../src/groups/group-store.ts';
import { describeError, log } from '../log.ts';
import { HttpResponse } from '../protocols/http.ts';
import { formatSocketName } from '../socket-name.ts';
import { stopIntent } from '../process/stop-intent.ts';
import { settings } from '../settings.ts';
import { pidFileFor, relaySocketFor, storeFileFor } from '../run-paths.ts';
import type { TcpConnection } from '../tcp-connection.ts';
import { Worker } from '../worker.ts';
import { textPortNeedsToken, type PushServerConfig } from './config.ts';
import { ConnectionSocket } from './connection-socket.ts';
import { IdentifyDeadline } from './identify-deadline.ts';
import { SocketRelay } from './socket-relay.ts';
import { SqliteDb } from './sqlite-db.ts';
import { catchUpOnLinkChange } from './catch-up-on-link-change.ts';
import { serveTextPort } from './text-port.ts';

// How often each process drops expired pushes and ids from the store.
const STORE_SWEEP_MS = 1000;

/**
 * The ready push server on the emulator: `count` processes share the WebSocket + HTTP port and the text
 * port with SO_REUSEPORT; each holds its own clients in a Hub, and a push crosses only to the processes
 * that hold its uid, found in a directory of the peers' uids that every process keeps (src/relay/relay-node.ts).
 * Returns the main Worker; call Worker.runAll() next.
 */
export function definePushServer(config: PushServerConfig): Worker {
  Worker.pidFile = pidFileFor(config.port);
  // A small young generation: a push server's garbage is short-lived frames and lines, and V8's default
  // semi-space (tens of MB once grown) would sit in every process's memory. GC on the main thread only: with
  // one process per core, V8's helper threads only take CPU from the other processes.
  settings.childExecArgv = ['--max-semi-space-size=4', '--single-threaded-gc'];
  // Two malloc arenas for the serving processes, which allocate almost only on their main thread: glibc's default
  // (eight per core) lets Node's helper threads each keep an arena of their own, memory that is rarely given back.
  // A value set by the operator wins; other C libraries ignore it. Only the serving processes get it, not whatever
  // else the master runs.
  settings.childEnv = { MALLOC_ARENA_MAX: '2' };
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
  const registry = new MemoryRegistry<ConnectionSocket>();
  const hub = new Hub<ConnectionSocket>(registry, config.limits);
  const links = new SocketRelay({ self: main.id, count: config.count, pathOf: (i) => relaySocketFor(config.port, i) });
  const node = new RelayNode(hub, links);
  catchUpOnLinkChange(node, hub);
  // Every process opens the one store, on first need: a client reads what waits for it wherever it lands.
  // Until a push is stored or a group joined, a server carries none of it (SQLite costs a process several MB).
  // The mailbox and the groups share one connection: each run's writes are one transaction on it.
  const storeFile = storeFileFor(config.port);
  let db: SqliteDb | undefined;
  const openDb = () => (db ??= new SqliteDb(storeFile));
  let sweep: ReturnType<typeof setInterval> | undefined;
  const { stored } = node;
  stored.storeIn(() => {
    const store = new DurablePushes(new Mailbox(openDb(), config.limits));
    // Pushes stored by several processes can reach a socket out of seq order: the hub fills a gap from the store.
    hub.readStoredBetween = (uid, after, before) => store.mailbox.between(uid, after, before);
    sweep = setInterval(() => store.mailbox.sweep(), STORE_SWEEP_MS);
    sweep.unref();
    return store;
  });
  // Whether the store exists (made here, by another process or by an earlier run): once it does, it stays, and no
  // later identify needs to look for the file again.
  let storeSeen = false;
  const storeMade = () => (storeSeen ||= db !== undefined || existsSync(storeFile));
  // A store another process (or an earlier run) made may hold pushes waiting for this process's clients.
  const storeInUse = () => stored.store !== undefined || (storeMade() && stored.openStore() !== undefined);
  if (storeMade()) stored.openStore();
  if (config.count > 1) {
    // Until it listens, peers count this process as absent, as they do while it restarts.
    links.listen(node).catch((error: unknown) => log(`relay socket failed, pushes from other processes will miss this one: ${describeError(error)}`));
  }
  const target = new RelayedTarget(node);
  const groups: RelayedGroups<ConnectionSocket> = new RelayedGroups(node, {
    open: () => new GroupStore(openDb(), config.limits), exists: storeMade, target,
  });
  registry.onUidChange = node.uidChanged;
  const ops = new RelayedOps(main.id, () => target.shares(), () => stored.store?.mailbox.figures() ?? { queued: 0, expired: 0 }, () => groups.share());
  // Each process's stats share carries its index and latency, for the dashboard's rows and the histogram.
  node.shareExtra = () => ops.extra();
  const socketOf = ConnectionSocket.of;
  const deadline = new IdentifyDeadline(hub.registry, config.limits.identifyTimeoutSeconds);
  // The kernel spreads clients evenly over the processes, so each takes its share of MAX_CONNECTIONS.
  const maxConnections = Math.ceil(config.maxConnections / config.count);

  const home = { enabled: config.homePage, signed: config.clientSecret !== undefined,
    textPort: { host: config.textHost, port: config.textPort, token: textPortNeedsToken(config) } };
  // A server used only through WebSockets and the text port never pays for the HTTP API's code and memory.
  let app: Promise<{ fetch(request: Request): Response | Promise<Response> }> | undefined;
  main.onRequest = async (request) => {
    app ??= import('../../src/http/push-app.ts').then(({ createPushApp }) => createPushApp({
      settings: () => ({ token: config.token, limits: config.limits }),
      target: () => target,
      groups: () => groups,
      ops: { source: () => ops, dashboard: () => config.dashboard },
      home: () => home,
    }));
    return (await app).fetch(request);
  };
  main.onWebSocketUpgrade = async (request) => {
    if (main.connections.size >= maxConnections) {
      const error = `server is full: it holds MAX_CONNECTIONS=${config.maxConnections} WebSocket clients; try again later`;
      return new HttpResponse(503, { 'Content-Type': 'application/json', 'Retry-After': '5' }, `${JSON.stringify({ error })}\n`);
    }
    const decision = await decideConnect(
      { uid: request.query.get('uid') ?? undefined, token: request.query.get('token') ?? undefined, since: request.query.get('since') ?? undefined },
      { clientSecret: config.clientSecret, maxUidBytes: config.limits.maxUidBytes },
    );
    if ('error' in decision) {
      return new HttpResponse(decision.status, { 'Content-Type': 'application/json' }, `${JSON.stringify({ error: decision.error })}\n`);
    }
    // A client that asks for pushport.v1 gets seqs and may resume with ?since=.
    const v1 = offersV1(request.header('sec-websocket-protocol'));
    if (v1) return { pushUid: decision.uid, pushSince: decision.since, pushV1: true, websocketProtocol: V1_PROTOCOL };
    // A client that names its uid in its first message gets no property for it: each is paid per connection.
    return decision.uid === undefined ? {} : { pushUid: decision.uid };
  };
  const identified = (connection: TcpConnection, uid: string) => {
    const socket = socketOf(connection);
    if (socket.v1 || storeInUse()) stored.welcome(socket, uid, typeof connection.pushSince === 'number' ? connection.pushSince : undefined);
  };
  main.uidOf = (connection) => hub.registry.uidOf(socketOf(connection));
  main.onConnect = (connection) => {
    // What a client may send (its uid, or ping) and how far behind its reading may fall before it is cut off.
    connection.maxPackageSize = config.limits.maxMessageBytes;
    // One limit for a slow reader, but never below one whole message and its frame header.
    connection.maxSendBufferSize = Math.max(config.maxSendBufferBytes, config.limits.maxMessageBytes + 14);
    hub.connect(socketOf(connection));
    deadline.watch(socketOf(connection));
  };
  main.onWebSocketConnect = (connection) => {
    if (connection.pushV1 === true) socketOf(connection).v1 = true;
    const uid = connection.pushUid;
    if (typeof uid === 'string' && hub.identify(socketOf(connection), uid)) identified(connection, uid);
  };
  main.onMessage = (connection, data) => {
    // The edge answers ping at any time without treating it as a uid; so do we.
    if (data === 'ping') return void connection.send('pong');
    const uid = hub.receive(socketOf(connection), typeof data === 'string' ? data : new Uint8Array(data as Buffer));
    if (uid !== undefined) identified(connection, uid);
  };
  main.onClose = (connection) => {
    hub.disconnect(socketOf(connection));
    deadline.forget(socketOf(connection));
  };
  main.onWorkerStop = () => {
    const reason = stopIntent.restarting ? 'server restarting' : 'server stopping';
    for (const socket of hub.registry.identified()) socket.close(CloseCode.goingAway, reason);
    deadline.stop();
    if (sweep) clearInterval(sweep);
    // The relay stays up until every text-port line read has its answer: some wait on another process.
    return textPort.end().then(() => links.close());
  };

  const text = new Worker(formatSocketName('text', config.textHost, config.textPort));
  text.name = 'pushport-text';
  text.reusePort = true;
  const textPort = serveTextPort(text, {
    target, groups, token: textPortNeedsToken(config) ? config.token : undefined,
    maxLineBytes: config.limits.maxMessageBytes, maxUidBytes: config.limits.maxUidBytes, maxTtlSeconds: config.limits.maxTtlSeconds,
    observe: (seconds, lines) => ops.observe(seconds, lines),
  });
  text.listen();
}
