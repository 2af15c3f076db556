import { ConfigError, defaultLimits } from '../../src/limits.ts';
import { log } from '../log.ts';
import { isLoopback } from '../push/config.ts';
import { parseFlags } from '../cli/parse-flags.ts';
import { startBridge } from './bridge.ts';

const usage = `Usage: pushport bridge --to <deployment URL> [--token <PUSH_TOKEN>] [--listen 127.0.0.1:5678] [--max-line-bytes N]

A raw text push port (the reference's protocol: one JSON line in, ok/fail/error out) whose pushes go to an edge
deployment's POST /push/batch, pipelined lines in one request. The token defaults to $PUSH_TOKEN. Listening beyond
loopback makes each connection send that token as its first line. Runs in the foreground until stopped.`;

const options = {
  to: { type: 'string' },
  token: { type: 'string' },
  listen: { type: 'string' },
  'max-line-bytes': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `pushport bridge …`: parses the options and serves until SIGINT/SIGTERM. */
export async function runBridgeCommand(args: string[]): Promise<void> {
  const { values } = parseFlags(args, options, 'see pushport bridge --help', false);
  if (values.help) return void console.log(usage);
  const to = values.to as string | undefined;
  if (!to || !/^https?:\/\/./.test(to)) throw new ConfigError('bridge needs --to <http(s) URL of the deployment>');
  const token = (values.token as string | undefined) ?? process.env.PUSH_TOKEN;
  if (!token) throw new ConfigError('bridge needs the deployment\'s publisher token: --token or PUSH_TOKEN');
  const listen = (values.listen as string | undefined) ?? '127.0.0.1:5678';
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
  if (!match || Number(match[2]) > 65535) throw new ConfigError(`--listen must be host:port, got ${JSON.stringify(listen)}`);
  const host = match[1]!;
  const maxLineBytes = Number(values['max-line-bytes'] ?? defaultLimits.maxMessageBytes);
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) throw new ConfigError('--max-line-bytes must be a positive whole number');
  const requireToken = !isLoopback(host);
  const worker = startBridge({ host, port: Number(match[2]), to, token, maxLineBytes, requireToken });
  const bound = worker.address();
  log(`pushport bridge listening on ${host}:${bound?.port ?? match[2]}, pushing to ${to}${requireToken ? ' (token line required)' : ''}`);
  const stop = () => {
    worker.unlisten();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
