import { readFileSync } from 'node:fs';
import type { ParseArgsOptionsConfig } from 'node:util';
import { ConfigError, limitsFrom, switchSetting, wholeSetting, type Limits } from '../../src/limits.ts';
import { parseFlags } from '../cli/parse-flags.ts';

/** Everything the local push server runs with. */
export interface PushServerConfig {
  /** WebSocket clients and the HTTP push API share this port (default 1234, as in the reference). */
  host: string;
  port: number;
  /** The raw text push port (default 127.0.0.1:5678). */
  textHost: string;
  textPort: number;
  /** Processes sharing both ports with SO_REUSEPORT. */
  count: number;
  /** Publisher token: the HTTP API needs it (503 without), and so does a text port bound beyond loopback. */
  token: string | undefined;
  /** Signed mode: clients connect with ?token=<JWT>. */
  clientSecret: string | undefined;
  /** Seconds between WebSocket ping frames; a client that misses one is cut off (0 = off). */
  heartbeatSeconds: number;
  /** Per-socket send buffer; a slower reader is cut off (MAX_SEND_BUFFER_BYTES). */
  maxSendBufferBytes: number;
  /** Whether GET /dashboard serves the live page (DASHBOARD=off turns it off). */
  dashboard: boolean;
  /** Whether a plain GET / serves the first page (HOME_PAGE=off turns it off; an upgrade there still connects). */
  homePage: boolean;
  /** WebSocket connections the server holds, split evenly over its processes; past it an upgrade gets 503 (MAX_CONNECTIONS). */
  maxConnections: number;
  limits: Limits;
}

// Setting names, as on the edge; each flag is the name in kebab case (PUSH_TOKEN → --push-token).
const names = ['HOST', 'PORT', 'TEXT_HOST', 'TEXT_PORT', 'COUNT', 'PUSH_TOKEN', 'CLIENT_SECRET', 'HEARTBEAT_SECONDS',
  'MAX_SEND_BUFFER_BYTES', 'MAX_CONNECTIONS', 'IDENTIFY_TIMEOUT_SECONDS', 'MAX_MESSAGE_BYTES', 'MAX_UID_BYTES', 'MAX_CONNECTIONS_PER_UID',
  'MAX_BATCH', 'MAX_BATCH_BYTES', 'MAX_TTL_SECONDS', 'RETAIN_SECONDS', 'MAX_RETAINED_PER_UID', 'MAX_QUEUED_PER_UID',
  'MAX_QUEUED_TOTAL', 'IDEMPOTENCY_SECONDS', 'MARK_SECONDS', 'MAX_GROUPS_PER_UID', 'MAX_GROUP_MEMBERS', 'DASHBOARD', 'HOME_PAGE'] as const;
type Name = (typeof names)[number];
const aliases: Record<string, Name> = { '--token': 'PUSH_TOKEN' };

const flagOf = (name: string) => `--${name.toLowerCase().replaceAll('_', '-')}`;

// parseArgs options: every setting as its kebab-case flag (a string), --config, and the commands' -d / -g.
const flagOptions: ParseArgsOptionsConfig = {
  ...Object.fromEntries(names.map((n) => [flagOf(n).slice(2), { type: 'string' } as const])),
  ...Object.fromEntries(Object.keys(aliases).map((flag) => [flag.slice(2), { type: 'string' } as const])),
  config: { type: 'string' },
  d: { type: 'boolean' },
  g: { type: 'boolean' },
  json: { type: 'boolean' },
};
const nameOfOption = new Map<string, Name | 'CONFIG'>([
  ...names.map((n) => [flagOf(n).slice(2), n] as const),
  ...Object.entries(aliases).map(([flag, n]) => [flag.slice(2), n] as const),
  ['config', 'CONFIG'],
]);

/** The settings given as `--flag value` or `--flag=value`; throws ConfigError for an unknown flag or a missing value. */
export function settingsFromArgs(args: string[]): Partial<Record<Name | 'CONFIG', string>> {
  const { values } = parseFlags(args, flagOptions, 'see pushport --help');
  const found: Partial<Record<Name | 'CONFIG', string>> = {};
  for (const [option, value] of Object.entries(values)) {
    const name = nameOfOption.get(option);
    if (name && typeof value === 'string') found[name] = value;
  }
  return found;
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object of settings, e.g. {"PORT": 1234}`);
  }
  for (const key of Object.keys(parsed)) {
    if (!(names as readonly string[]).includes(key)) throw new ConfigError(`unknown setting ${key} in ${path}`);
  }
  return parsed as Record<string, unknown>;
}


/** WebSocket connections one server holds unless MAX_CONNECTIONS says otherwise (about 60 MB of client state). */
export const defaultMaxConnections = 10_000;

/** Whether a host is this machine only (what the text port may serve without a token). */
export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/**
 * The push server's configuration: flags win over the environment, which wins over the config file
 * (`--config` or PUSHPORT_CONFIG), which wins over the defaults. Throws ConfigError with a one-line reason.
 */
export function loadConfig(args: string[], env: Record<string, string | undefined>): PushServerConfig {
  const flags = settingsFromArgs(args);
  const file = flags.CONFIG ?? env.PUSHPORT_CONFIG;
  const fromFile = file ? readConfigFile(file) : {};
  const merged: Record<string, unknown> = { ...fromFile };
  for (const name of names) if (env[name] !== undefined && env[name] !== '') merged[name] = env[name];
  for (const name of names) if (flags[name] !== undefined) merged[name] = flags[name];
  const get = (name: Name, fallback: unknown) => merged[name] ?? fallback;

  let config: PushServerConfig;
  try {
    const port = wholeSetting('PORT', get('PORT', 1234), 0, 65535);
    config = {
      host: String(get('HOST', '127.0.0.1')),
      port,
      textHost: String(get('TEXT_HOST', '127.0.0.1')),
      textPort: wholeSetting('TEXT_PORT', get('TEXT_PORT', textPortFor(port)), 0, 65535),
      count: wholeSetting('COUNT', get('COUNT', 1), 1, 64),
      token: (get('PUSH_TOKEN', '') as string) || undefined,
      clientSecret: (get('CLIENT_SECRET', '') as string) || undefined,
      heartbeatSeconds: wholeSetting('HEARTBEAT_SECONDS', get('HEARTBEAT_SECONDS', 30), 0, 86400),
      maxSendBufferBytes: wholeSetting('MAX_SEND_BUFFER_BYTES', get('MAX_SEND_BUFFER_BYTES', 4 * 1024 * 1024), 1024, 2 ** 31),
      maxConnections: wholeSetting('MAX_CONNECTIONS', get('MAX_CONNECTIONS', defaultMaxConnections), 1, 10_000_000),
      dashboard: switchSetting('DASHBOARD', get('DASHBOARD', '')),
      homePage: switchSetting('HOME_PAGE', get('HOME_PAGE', '')),
      limits: limitsFrom(merged),
    };
  } catch (error) {
    // A bad value that came from the config file names the file, as an unknown key in it does.
    const name = error instanceof ConfigError ? error.message.split(' ')[0]! : '';
    if (file && name in fromFile && !env[name] && !(name in flags)) throw new ConfigError(`${(error as Error).message} (in ${file})`);
    throw error;
  }
  // The reference's text port answers anyone who reaches it; beyond loopback that must take a token.
  if (!isLoopback(config.textHost) && !config.token) {
    throw new ConfigError(`the text port on ${config.textHost} would let anyone push: set PUSH_TOKEN (--push-token) as well, and send it as each connection's first line`);
  }
  if (config.port === config.textPort && config.port !== 0) {
    throw new ConfigError(`PORT and TEXT_PORT are both ${config.port}; they must differ`);
  }
  return config;
}

/**
 * The text port when none is given: PORT + 4444 (5678 beside the reference's 1234), so a second server started
 * with only `--port` does not collide with the first one's text port. A random PORT (0) gets a random one too.
 */
function textPortFor(port: number): number {
  if (port === 0) return 0;
  if (port + TEXT_PORT_OFFSET > 65535) {
    throw new ConfigError(`TEXT_PORT defaults to PORT + ${TEXT_PORT_OFFSET}, which is over 65535 for PORT ${port}: set TEXT_PORT (--text-port)`);
  }
  return port + TEXT_PORT_OFFSET;
}

const TEXT_PORT_OFFSET = 4444;

/** Whether text-port connections must start with the token line (only beyond loopback). */
export function textPortNeedsToken(config: PushServerConfig): boolean {
  return !isLoopback(config.textHost);
}

const docs: Record<Name, string> = {
  HOST: 'WebSocket + HTTP API address (127.0.0.1; 0.0.0.0 to serve other machines)',
  PORT: 'WebSocket + HTTP API port (1234)',
  TEXT_HOST: 'text push port address (127.0.0.1; elsewhere needs PUSH_TOKEN)',
  TEXT_PORT: 'text push port (PORT + 4444: 5678 beside the default PORT)',
  COUNT: 'processes sharing both ports with SO_REUSEPORT (1)',
  PUSH_TOKEN: 'publisher token for the HTTP API (--token works too; none: API answers 503)',
  CLIENT_SECRET: 'signed mode: clients connect with ?token=<HS256 JWT, sub = uid>',
  HEARTBEAT_SECONDS: 'WebSocket ping frame interval; a client that misses one is dropped (30; 0 = off)',
  MAX_SEND_BUFFER_BYTES: 'unsent bytes per client before a slow reader is cut off (4194304)',
  MAX_CONNECTIONS: 'WebSocket clients of the whole server, split over its processes; more get HTTP 503 (10000)',
  IDENTIFY_TIMEOUT_SECONDS: 'seconds a client may stay without sending its uid; then closed with 1008 (10; 0 = off)',
  MAX_MESSAGE_BYTES: 'largest push, broadcast or text line (1048576)',
  MAX_UID_BYTES: 'longest uid (256)',
  MAX_CONNECTIONS_PER_UID: 'tabs per uid before the oldest is closed (32)',
  MAX_BATCH: 'pushes per /push/batch request (1000)',
  MAX_BATCH_BYTES: 'largest /push/batch body (8388608)',
  MAX_TTL_SECONDS: 'longest ttl a push may ask for (86400)',
  RETAIN_SECONDS: 'seconds a stored push is kept for resume with ?since= (120)',
  MAX_RETAINED_PER_UID: 'stored pushes kept per uid for resume (100)',
  MAX_QUEUED_PER_UID: 'ttl pushes waiting for one offline uid; more answer "queue full" (100)',
  MAX_QUEUED_TOTAL: 'ttl pushes waiting for all offline uids together (100000)',
  IDEMPOTENCY_SECONDS: 'seconds a push id is remembered, so a retry is not delivered twice (300)',
  MARK_SECONDS: 'seconds every push to a uid is stored after its last pushport.v1 client identified (86400)',
  MAX_GROUPS_PER_UID: 'groups one uid may be in; a join past it answers 409 (100)',
  MAX_GROUP_MEMBERS: 'members one group may have; a join past it answers 409 (100000)',
  DASHBOARD: 'the live page at GET /dashboard (on; off answers 404)',
  HOME_PAGE: 'the first page at GET /: connect a uid, see its pushes (on; off answers 404)',
};

/** The settings part of --help: each flag, its environment name, and what it does. */
export function configHelp(): string {
  return names.map((n) => `  ${flagOf(n).padEnd(26)} ${n.padEnd(24)} ${docs[n]}`).join('\n');
}
