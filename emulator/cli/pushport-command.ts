import { ConfigError } from '../../src/limits.ts';
import { configHelp, loadConfig } from '../push/config.ts';
import { checkPortFree } from '../port-check.ts';
import { definePushServer } from '../push/push-server.ts';
import { pidFileFor } from '../run-paths.ts';
import { settings } from '../settings.ts';
import { Worker } from '../worker.ts';
import { runningMasterPid } from './pid-file.ts';

/** The commands (Workerman's, plus the bridge) this program answers. */
const commands = ['start', 'stop', 'restart', 'reload', 'status', 'connections', 'bridge'];

const usage = `Usage: pushport <command> [options]

Commands:
  start [-d]        run the push server (-d: as a daemon)
  stop [-g]         stop it (-g: let connections finish first)
  restart [-d]      stop if running, then start
  reload [-g]       replace its processes one by one, without refusing connections
  status            one row per process: pid, connections, memory, messages, uptime (--json: as JSON)
  connections       every open connection (--json: as JSON)
  bridge            a text push port in front of an edge deployment (pushport bridge --help)

Options (flag, environment name, meaning; flags beat the environment, which beats --config FILE):
  --config FILE              PUSHPORT_CONFIG          a JSON file of settings, e.g. {"PORT": 1234, "COUNT": 2}
${configHelp()}

stop/status/reload/connections find the server by its --port.`;

function describeServer(config: ReturnType<typeof loadConfig>): string {
  const api = config.token ? 'HTTP push API on the same port' : 'HTTP push API disabled until PUSH_TOKEN is set';
  return `pushport: WebSocket clients on ws://${config.host}:${config.port} (${api}); text push port on ${config.textHost}:${config.textPort}; ${config.count} process${config.count > 1 ? 'es' : ''}`;
}

/** Runs `pushport <command> [options]`; exits with one line (2 for usage, 1 for failure) on a problem. */
export function runPushportCommand(args: string[]): void {
  run(args).catch((error: unknown) => {
    console.error(`pushport: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  });
}

async function run(args: string[]): Promise<void> {
  const [command = '', ...rest] = args;
  if (command === 'bridge') return import('../bridge/bridge-command.ts').then(({ runBridgeCommand }) => runBridgeCommand(rest));
  if (['', 'help', '-h', '--help'].includes(command) || args.includes('--help')) return void console.log(usage);
  if (!commands.includes(command)) throw new ConfigError(`unknown command ${JSON.stringify(command)} (see pushport --help)`);
  const config = loadConfig(rest, process.env);
  // The emulator's messages name the program; the path it was installed under says nothing useful.
  settings.programName = `pushport on port ${config.port}`;
  // Only where a server is being started, and not again in the processes it forks.
  if (command === 'start' && !process.env.PUSHPORT_CHILD && !process.env.PUSHPORT_DAEMON) {
    const pid = runningMasterPid(pidFileFor(config.port));
    if (pid) throw new Error(`already running on port ${config.port} (master pid ${pid}); use stop, restart or reload`);
  }
  // Start and restart bind both ports only once both are free (restart checks after stopping its own server).
  settings.portsFree = async () => {
    await checkPortFree(config.host, config.port);
    await checkPortFree(config.textHost, config.textPort);
  };
  settings.beforeStart = () => console.log(describeServer(config));
  definePushServer(config);
  Worker.runAll();
}
