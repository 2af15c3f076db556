#!/usr/bin/env node
// The pushport command: the local push server on the emulator (start/stop/status/reload/…), and the bridge.
import { ConfigError } from '../src/index.ts';
import { runBridgeCommand } from '../emulator/bridge/bridge-command.ts';
import { configHelp, loadConfig } from '../emulator/push/config.ts';
import { checkPortsFree } from '../emulator/push/port-check.ts';
import { unsupportedNode } from '../emulator/node-version.ts';
import { definePushServer } from '../emulator/push/push-server.ts';
import { Worker } from '../emulator/worker.ts';

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

async function main(args: string[]): Promise<void> {
  const [command = ''] = args;
  if (command === 'bridge') return runBridgeCommand(args.slice(1));
  if (['', 'help', '-h', '--help'].includes(command) || args.includes('--help')) {
    console.log(usage);
    return;
  }
  const unsupported = unsupportedNode();
  if (unsupported) throw new Error(unsupported);
  const config = loadConfig(args.slice(1), process.env);
  // Only where a server is being started, and not again in the processes it forks.
  if (command === 'start' && !process.env.PUSHPORT_CHILD && !process.env.PUSHPORT_DAEMON) {
    await checkPortsFree(config);
    console.log(describeServer(config));
  }
  definePushServer(config);
  Worker.runAll();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`pushport: ${error.message}`);
    process.exit(2);
  }
  console.error(`pushport: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
