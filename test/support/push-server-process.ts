import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { askMaster } from '../../emulator/cli/control-client.ts';
import type { ControlRequest } from '../../emulator/process/control-server.ts';
import { socketPath } from '../../emulator/run-paths.ts';
import { cli, freePort, runDir, trackGroup } from '../emulator/helpers/processes.ts';

/** A push server started from the real CLI as a daemon, on free loopback ports. */
export interface PushServerProcess {
  port: number;
  textPort: number;
  httpUrl: string;
  wsUrl: string;
  runDir: string;
  masterPid: number;
  /** Sends one request to the master's control socket; rejects if the master does not answer. */
  ask<T>(request: ControlRequest): Promise<T & { ok: boolean }>;
  /**
   * The pids of the serving processes, from the master. Rejects when the master cannot be asked, rather than
   * answer `[]`: a check like "none of the old pids is left" must not pass because nobody answered.
   */
  children(): Promise<number[]>;
  /** Runs `pushport <command> --port <port>` against this server. */
  command(...args: string[]): Promise<{ code: number | null; output: string }>;
  stop(): Promise<void>;
}

export const BIN = 'bin/pushport.ts';

/** Starts `pushport start -d` and resolves once every process serves (the daemon start waits for that). */
export async function startPushServer(args: string[] = [], env: Record<string, string> = {}): Promise<PushServerProcess> {
  // A port free when picked may be bound by another program before the server binds it: then on other ports.
  for (let attempt = 1; ; attempt++) {
    const [port, textPort] = [await freePort(), await freePort()];
    const dir = runDir();
    const fullEnv = { PUSHPORT_RUN_DIR: dir, ...env };
    const started = await cli(BIN, ['start', '-d', '--port', String(port), '--text-port', String(textPort), ...args], fullEnv, 40_000);
    if (started.code === 0) return running(port, textPort, dir, fullEnv);
    if (attempt < 3 && started.output.includes('already in use')) continue;
    throw new Error(`pushport start failed (${started.code}):\n${started.output}`);
  }
}

// The handle on a daemon that has started.
function running(port: number, textPort: number, dir: string, fullEnv: Record<string, string>): PushServerProcess {
  const command = (...more: string[]) => cli(BIN, [...more, '--port', String(port)], fullEnv);
  const masterPid = Number(readFileSync(join(dir, `pushport-${port}.pid`), 'utf8'));
  // The daemon leads its own process group: cleanup() kills it even if a test fails before stop().
  trackGroup(masterPid);
  const control = socketPath(join(dir, `pushport-${port}.sock`));
  const ask = <T>(request: ControlRequest) => askMaster<T>(control, request, 2000);
  return {
    port, textPort, runDir: dir, masterPid, ask,
    children: async () => {
      const reply = await ask<{ children?: number[] }>({ cmd: 'ping' });
      if (!Array.isArray(reply.children)) throw new Error(`the master's ping named no children: ${JSON.stringify(reply)}`);
      return reply.children;
    },
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
