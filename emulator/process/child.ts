import { safeCall } from '../callbacks.ts';
import { describeError, log } from '../log.ts';
import type { ListenHandle } from '../listen-handle.ts';
import { processStats } from '../process-stats.ts';
import { settings } from '../settings.ts';
import { stopIntent } from './stop-intent.ts';
import { Timer } from '../timer.ts';
import type { ServedWorker } from './served-worker.ts';
import { listeningWorkers } from '../worker-list.ts';
import { DAEMON_ENV, EXIT_LISTEN_FAILED, EXIT_START_FAILED, roleHooks, type ConnectionInfo, type FromChild, type ProcessStatus, type ToChild } from './ipc.ts';

/** Runs this forked process as one of a worker's `count` processes, driven by the master over IPC. */
export function runChild(workers: ServedWorker[], marker: string): void {
  settings.managed = true;
  settings.daemonize = process.env[DAEMON_ENV] === '1';
  const [index = -1, id = 0] = marker.split(':').map(Number);
  const worker = workers[index];
  if (!worker) {
    log(`no worker #${index} in this script: was a Worker created conditionally before runAll()?`);
    process.exit(1);
  }
  worker.id = id;
  process.title = `pushport: worker ${worker.name} ${worker.getSocketName()}`.trim();
  // Ctrl-C reaches the whole process group; the master stops us in order instead.
  process.on('SIGINT', () => {});
  // An orphan must not keep a port: when the master's channel goes, so do we.
  process.on('disconnect', () => exitOrphaned(worker));
  process.on('uncaughtException', (error) => {
    log(`uncaught exception, process exits: ${describeError(error)}`);
    process.exit(EXIT_START_FAILED);
  });
  roleHooks.stopAll = () => stop(worker, false, false);
  process.on('message', (message: ToChild, handle?: ListenHandle) => {
    if (message.t === 'start') start(worker, handle);
    else if (message.t === 'stop') {
      stopIntent.restarting = message.reload || message.restart === true;
      stop(worker, message.graceful, message.reload);
    }
    else if (message.t === 'ask') send({ t: 'answer', req: message.req, data: message.what === 'stats' ? statusOf(worker) : connections() });
  });
}

function send(message: FromChild, then?: () => void): void {
  if (process.connected) process.send?.(message, undefined, {}, () => then?.());
  else then?.();
}

function start(worker: ServedWorker, handle: ListenHandle | undefined): void {
  try {
    worker.listen(handle);
  } catch (error) {
    log(describeError(error));
    send({ t: 'listen-failed', error: error instanceof Error ? error.message : String(error) }, () => process.exit(EXIT_LISTEN_FAILED));
    return;
  }
  try {
    worker.onWorkerStart?.(worker);
  } catch (error) {
    // Workerman exits the process (status 250) and lets the master start a new one.
    log(`onWorkerStart failed: ${describeError(error)}`);
    process.exit(EXIT_START_FAILED);
  }
  send({ t: 'ready' });
}

// Longest an orphan waits for its sockets to flush before it exits.
const ORPHAN_FLUSH_MS = 500;

/**
 * The master died: stop listening at once, but exit only once every socket has written what it holds (at most
 * ORPHAN_FLUSH_MS). A frame still in a socket's buffer may already have been answered `ok` to a backend; exiting
 * with it unwritten would make that answer false.
 */
function exitOrphaned(worker: ServedWorker): void {
  const workers = new Set([worker, ...listeningWorkers]);
  for (const each of [...listeningWorkers]) each.unlisten();
  const flushed = () => [...workers].every((each) => [...each.connections.values()].every((c) => c.getSendBufferQueueSize() === 0));
  const deadline = Date.now() + ORPHAN_FLUSH_MS;
  const check = setInterval(() => {
    if (!flushed() && Date.now() < deadline) return;
    clearInterval(check);
    process.exit(0);
  }, 10);
}

function stop(worker: ServedWorker, graceful: boolean, reload: boolean): void {
  if (reload) safeCall('onWorkerReload', worker.onWorkerReload, worker);
  const listening = [...listeningWorkers];
  for (const each of listening) each.unlisten();
  const stopped = safeCall('onWorkerStop', worker.onWorkerStop, worker);
  Timer.delAll();
  if (!graceful) {
    // What onWorkerStop still finishes (the push server answers its text port's lines) goes first; the master's
    // stop timeout bounds the wait.
    void Promise.resolve(stopped).then(() => {
      for (const each of new Set([worker, ...listening])) for (const connection of each.connections.values()) connection.destroy();
      setImmediate(() => process.exit(0));
    });
    return;
  }
  // Graceful: wait for clients to leave; the master's bound kills us if they never do.
  const check = setInterval(() => {
    if (processStats.connections > 0) return;
    clearInterval(check);
    process.exit(0);
  }, 50);
}

function statusOf(worker: ServedWorker): ProcessStatus {
  const listen = [...listeningWorkers].map((each) => each.getSocketName());
  return {
    pid: process.pid,
    worker: worker.name,
    id: worker.id,
    listen,
    connections: processStats.connections,
    memory: process.memoryUsage.rss(),
    messages: processStats.messages,
    sendFails: processStats.sendFails,
    startedAt: processStats.startedAt,
  };
}

function connections(): ConnectionInfo[] {
  const rows: ConnectionInfo[] = [];
  for (const worker of listeningWorkers) {
    for (const connection of worker.connections.values()) {
      rows.push({
        pid: process.pid,
        worker: worker.name,
        id: connection.id,
        uid: worker.uidOf?.(connection) ?? (typeof connection.uid === 'string' ? connection.uid : ''),
        protocol: typeof worker.protocol === 'string' ? worker.protocol : worker.protocol ? 'custom' : 'tcp',
        local: `${connection.getLocalIp()}:${connection.getLocalPort()}`,
        remote: `${connection.getRemoteIp()}:${connection.getRemotePort()}`,
        sendQueue: connection.getSendBufferQueueSize(),
        bytesRead: connection.bytesRead,
        bytesWritten: connection.bytesWritten,
        status: connection.status,
      });
    }
  }
  return rows;
}
