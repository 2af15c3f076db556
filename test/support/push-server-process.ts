import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, freePort, runDir, trackGroup } from '../emulator/helpers/processes.ts';

/** A push server started from the real CLI as a daemon, on free loopback ports. */
export interface PushServerProcess {
  port: number;
  textPort: number;
  httpUrl: string;
  wsUrl: string;
  runDir: string;
  masterPid: number;
  /** Runs `pushport <command> --port <port>` against this server. */
  command(...args: string[]): Promise<{ code: number | null; output: string }>;
  stop(): Promise<void>;
}

export const BIN = 'bin/pushport.ts';

/** Starts `pushport start -d` and resolves once every process serves (the daemon start waits for that). */
export async function startPushServer(args: string[] = [], env: Record<string, string> = {}): Promise<PushServerProcess> {
  const [port, textPort] = [await freePort(), await freePort()];
  const dir = runDir();
  const fullEnv = { PUSHPORT_RUN_DIR: dir, ...env };
  const command = (...more: string[]) => cli(BIN, [...more, '--port', String(port)], fullEnv);
  const started = await cli(BIN, ['start', '-d', '--port', String(port), '--text-port', String(textPort), ...args], fullEnv, 40_000);
  if (started.code !== 0) throw new Error(`pushport start failed (${started.code}):\n${started.output}`);
  const masterPid = Number(readFileSync(join(dir, `pushport-${port}.pid`), 'utf8'));
  // The daemon leads its own process group: cleanup() kills it even if a test fails before stop().
  trackGroup(masterPid);
  return {
    port, textPort, runDir: dir, masterPid,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    command,
    stop: async () => {
      await command('stop');
    },
  };
}

/** The pid serving each WebSocket client, by the client's own port, read from `pushport connections`. */
export function pidsByClientPort(connectionsTable: string): Map<number, number> {
  const rows = connectionsTable.matchAll(/^(\d+)\s+pushport\s+\d+\s+\S+\s+websocket\s+\S+\s+127\.0\.0\.1:(\d+)/gm);
  return new Map([...rows].map((m) => [Number(m[2]), Number(m[1])]));
}
