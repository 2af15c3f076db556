import { HttpTarget } from '../../src/http/http-target.ts';
import type { PushTarget } from '../../src/hub/push-target.ts';
import { serveTextPort } from '../push/text-port.ts';
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

/**
 * The TCP→HTTP bridge: a raw text push port whose lines become pushes on an edge deployment. Each
 * connection has its own upstream queue, so its lines keep their order and pipelined ones share a batch.
 */
export function startBridge(options: BridgeOptions, makeTarget?: () => PushTarget): Worker {
  const worker = new Worker(formatSocketName('text', options.host, options.port));
  worker.name = 'pushport-bridge';
  serveTextPort(worker, {
    target: makeTarget ?? (() => new HttpTarget({ url: options.to, token: options.token, fetch: options.fetch })),
    token: options.requireToken ? options.token : undefined,
    maxLineBytes: options.maxLineBytes,
    // The edge holds the uid limit and answers a uid over it with an error; any uid that fits a line may try.
    maxUidBytes: options.maxLineBytes,
  });
  worker.listen();
  return worker;
}
