import { ConfigError, defaultLimits } from '../../src/index.ts';
import { log } from '../log.ts';
import { isLoopback } from '../push/config.ts';
import { startBridge } from './bridge.ts';

const usage = `Usage: pushport bridge --to <deployment URL> [--token <PUSH_TOKEN>] [--listen 127.0.0.1:5678] [--max-line-bytes N]

A raw text push port (the reference's protocol: one JSON line in, ok/fail/error out) whose pushes go to an edge
deployment's POST /push/batch, pipelined lines in one request. The token defaults to $PUSH_TOKEN. Listening beyond
loopback makes each connection send that token as its first line. Runs in the foreground until stopped.`;

function option(args: string[], name: string): string | undefined {
  const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  const arg = args[at]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new ConfigError(`${name} needs a value`);
  return value;
}

/** `pushport bridge …`: parses the options and serves until SIGINT/SIGTERM. */
export async function runBridgeCommand(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) return void console.log(usage);
  const known = new Set(['--to', '--token', '--listen', '--max-line-bytes']);
  for (const arg of args) {
    if (arg.startsWith('--') && !known.has(arg.split('=')[0]!)) throw new ConfigError(`unknown bridge option ${arg.split('=')[0]} (see pushport bridge --help)`);
  }
  const to = option(args, '--to');
  if (!to || !/^https?:\/\/./.test(to)) throw new ConfigError('bridge needs --to <http(s) URL of the deployment>');
  const token = option(args, '--token') ?? process.env.PUSH_TOKEN;
  if (!token) throw new ConfigError('bridge needs the deployment\'s publisher token: --token or PUSH_TOKEN');
  const listen = option(args, '--listen') ?? '127.0.0.1:5678';
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
  if (!match || Number(match[2]) > 65535) throw new ConfigError(`--listen must be host:port, got ${JSON.stringify(listen)}`);
  const host = match[1]!;
  const maxLineBytes = Number(option(args, '--max-line-bytes') ?? defaultLimits.maxMessageBytes);
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
