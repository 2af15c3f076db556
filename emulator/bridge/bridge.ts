import { HttpTarget, TextPushSession, type PushTarget } from '../../src/index.ts';
import type { TcpConnection } from '../tcp-connection.ts';
import { formatSocketName } from '../socket-name.ts';
import { Worker } from '../worker.ts';

/** Where the bridge listens and which edge deployment it pushes into. */
export interface BridgeOptions {
  /** Listen address for text clients, e.g. 127.0.0.1:5678. */
  host: string;
  port: number;
  /** The deployment's base URL (its POST /push/batch is called). */
  to: string;
  /** The deployment's PUSH_TOKEN. */
  token: string;
  /** Longest line accepted; a longer one closes that connection. */
  maxLineBytes: number;
  /** Text clients must send the token as their first line (set when listening beyond loopback). */
  requireToken: boolean;
  /** Stands in for fetch, in tests. */
  fetch?: typeof fetch;
}

const sessions = new WeakMap<TcpConnection, TextPushSession>();

/**
 * The TCP→HTTP bridge: a raw text push port whose lines become pushes on an edge deployment. Each
 * connection has its own upstream queue, so its lines keep their order and pipelined ones share a batch.
 */
export function startBridge(options: BridgeOptions, makeTarget?: () => PushTarget): Worker {
  const worker = new Worker(formatSocketName('text', options.host, options.port));
  worker.name = 'pushport-bridge';
  worker.onConnect = (connection) => {
    // A line may end in \r\n: room for both bytes on top of the message limit.
    connection.maxPackageSize = options.maxLineBytes + 2;
    const target = makeTarget?.() ?? new HttpTarget({ url: options.to, token: options.token, fetch: options.fetch });
    sessions.set(connection, new TextPushSession({
      target,
      maxUidBytes: 1024,
      token: options.requireToken ? options.token : undefined,
      reply: (text) => connection.send(text),
      close: () => connection.close(),
    }));
  };
  worker.onMessage = (connection, line) => sessions.get(connection)?.line(String(line));
  worker.listen();
  return worker;
}
