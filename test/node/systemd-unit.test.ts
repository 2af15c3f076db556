import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../emulator/push/config.ts';
import { cleanup, freePort, listenSockets, trackGroup } from '../emulator/helpers/processes.ts';
import { LineClient } from '../support/line-client.ts';
import { canRun, missingTool } from '../support/missing-tool.ts';
import { PROCESS_START_MS, waitFor } from '../support/poll.ts';

const root = resolve(import.meta.dirname, '../..');
const unitText = readFileSync(join(root, 'deploy/pushport.service'), 'utf8');
const envText = readFileSync(join(root, 'deploy/pushport.env'), 'utf8');

// A unit file as systemd reads it: `[Section]` headers, `Key=value` lines, comments on lines of their own.
function unitValue(section: string, key: string): string {
  let current = '';
  let value: string | undefined;
  for (const line of unitText.split('\n').map((l) => l.trim())) {
    if (line.startsWith('[')) current = line.slice(1, -1);
    else if (current === section && line.startsWith(`${key}=`)) value = line.slice(key.length + 1);
  }
  if (value === undefined) throw new Error(`no ${key}= in [${section}]`);
  return value;
}
const PREFIX = '/opt/pushport';

// The install the unit expects, in a scratch folder: the app's own Node and the package (this repo's dist/, which
// `pretest` built), at the paths the unit names under /opt/pushport.
const scratch = mkdtempSync(join(tmpdir(), 'pushport-unit-'));
const app = join(scratch, 'opt');
mkdirSync(join(app, 'node_modules/node/bin'), { recursive: true });
symlinkSync(process.execPath, join(app, 'node_modules/node/bin/node'));
symlinkSync(root, join(app, 'node_modules/pushport'));
const here = (value: string) => value.replaceAll(PREFIX, app);
afterAll(() => {
  cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

// The env file as systemd reads it: NAME=value lines, comments only on lines of their own.
const envLines = envText.split('\n').filter((line) => line.trim() && !line.trimStart().startsWith('#'));
const envVars = Object.fromEntries(envLines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

describe('deploy/pushport.service', () => {
  it('has what a unit that runs needs: an absolute Node, a working directory, the env file, Restart and [Install]', () => {
    const [node] = unitValue('Service', 'ExecStart').split(' ');
    expect(node).toMatch(/^\/.*\/node$/);
    expect(unitValue('Service', 'WorkingDirectory')).toBe(PREFIX);
    expect(unitValue('Service', 'EnvironmentFile')).toMatch(/^\/\S+$/);
    expect(unitValue('Service', 'Restart')).toBe('on-failure');
    expect(unitValue('Service', 'ExecReload')).toBe(unitValue('Service', 'ExecStart').replace(/ start$/, ' reload'));
    expect(unitValue('Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('comes with an env file systemd reads as meant: no trailing comments, every setting valid', () => {
    for (const line of envLines) expect(line).toMatch(/^[A-Z_]+=[^#\s]*$/);
    expect(() => loadConfig([], envVars)).not.toThrow();
  });

  const noSystemd = missingTool(canRun('systemd-analyze'), 'systemd-analyze', 'apt-get install systemd');
  it.skipIf(noSystemd)('passes `systemd-analyze verify` with nothing to say', () => {
    mkdirSync(join(scratch, 'etc'));
    writeFileSync(join(scratch, 'etc/pushport.env'), envText);
    const file = join(scratch, 'pushport.service');
    writeFileSync(file, here(unitText).replace(unitValue('Service', 'EnvironmentFile'), join(scratch, 'etc/pushport.env')));
    const verified = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect({ status: verified.status, stderr: verified.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('starts the server from its exact ExecStart under a bare environment, reloads it with ExecReload and stops on SIGTERM', async () => {
    const [port, textPort] = [await freePort(), await freePort()];
    const env = { ...envVars, PORT: String(port), TEXT_PORT: String(textPort), PUSHPORT_RUN_DIR: join(scratch, 'state') };
    // What systemd runs: the command line with the unit's environment only, and a PATH with the system Node at most.
    const bare = (command: string) => ['-i', 'PATH=/usr/bin:/bin', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...here(command).split(' ')];
    const server = spawn('env', bare(unitValue('Service', 'ExecStart')), { cwd: here(PREFIX), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    trackGroup(server.pid!);
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => LineClient.request(textPort, '{"uid":"nobody"}').catch(() => ''), `the server to serve (${output})`, PROCESS_START_MS);

    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const received: string[] = [];
    client.on('message', (data) => received.push(String(data)));
    await new Promise((opened) => client.once('open', opened));
    client.send('u1');
    await expect.poll(() => LineClient.request(textPort, '{"uid":"u1","n":1}')).toBe('ok');
    expect(received).toContain('{"uid":"u1","n":1}');

    const reload = spawnSync('env', bare(unitValue('Service', 'ExecReload')), { cwd: here(PREFIX), encoding: 'utf8', timeout: 60_000 });
    expect(reload.status, reload.stderr).toBe(0);
    expect(reload.stdout).toContain(`reloaded: ${envVars.COUNT} processes replaced`);
    client.close();

    // KillMode=mixed: systemd sends SIGTERM to the master alone, which stops the rest.
    const exited = new Promise((done) => server.once('exit', done));
    server.kill('SIGTERM');
    await exited;
    await expect.poll(() => listenSockets(port) + listenSockets(textPort)).toBe(0);
  }, 60_000);
});
