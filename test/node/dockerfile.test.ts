import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { validate } from 'dockerfile-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, freePort, listenSockets, trackGroup } from '../emulator/helpers/processes.ts';
import { LineClient } from '../support/line-client.ts';
import { PROCESS_START_MS, waitFor } from '../support/poll.ts';

const root = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const ENTRYPOINT = join(root, 'deploy/docker-entrypoint.sh');
const scratch = mkdtempSync(join(tmpdir(), 'pushport-docker-'));
afterAll(() => {
  cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

// Instructions with their arguments, continuation lines joined.
const instructions = dockerfile.replace(/\\\n\s*/g, ' ').split('\n').filter((line) => /^[A-Z]+ /.test(line))
  .map((line) => ({ name: line.slice(0, line.indexOf(' ')), args: line.slice(line.indexOf(' ') + 1).trim() }));
const lastStage = instructions.slice(instructions.findLastIndex((i) => i.name === 'FROM'));

// No Docker daemon runs here: the linter that VS Code's Docker support uses checks what `docker build` would parse.
describe('the Dockerfile', () => {
  it('passes the Dockerfile linter with no finding', () => {
    expect(validate(dockerfile)).toEqual([]);
  });

  it('builds on the official node image, runs as a non-root user and has a HEALTHCHECK', () => {
    for (const from of instructions.filter((i) => i.name === 'FROM')) expect(from.args).toMatch(/^node:2[2-9]-[a-z]+-slim\b/);
    expect(lastStage.find((i) => i.name === 'USER')?.args).toBe('node');
    expect(lastStage.find((i) => i.name === 'HEALTHCHECK')?.args).toMatch(/CMD \["node", "dist\/bin\/pushport\.js", "status"\]$/);
  });

  it('copies only files that exist and that .dockerignore lets in', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    const sources = instructions.filter((i) => i.name === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(' ').slice(0, -1));
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(ignored.filter((pattern) => source === pattern || source.startsWith(`${pattern}/`)), source).toEqual([]);
    }
  });

  it('binds the text port beyond the container only when PUSH_TOKEN is set', () => {
    // A stand-in for node that says what it was started with, so no port is bound.
    const fakeBin = join(scratch, 'fake-bin');
    spawnSync('mkdir', ['-p', fakeBin]);
    writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\necho "TEXT_HOST=$TEXT_HOST $*"\n', { mode: 0o755 });
    const entry = (env: Record<string, string>) => spawnSync(ENTRYPOINT, [], { cwd: root, encoding: 'utf8', env: { PATH: `${fakeBin}:/usr/bin:/bin`, ...env } }).stdout;
    expect(entry({})).toBe('TEXT_HOST=127.0.0.1 dist/bin/pushport.js start\n');
    expect(entry({ PUSH_TOKEN: 'secret' })).toBe('TEXT_HOST=0.0.0.0 dist/bin/pushport.js start\n');
    expect(entry({ PUSH_TOKEN: 'secret', TEXT_HOST: '10.0.0.5' })).toBe('TEXT_HOST=10.0.0.5 dist/bin/pushport.js start\n');
  });

  it('starts the server from its entrypoint, and its HEALTHCHECK command passes while it serves and fails once it stops', async () => {
    const [port, textPort] = [await freePort(), await freePort()];
    const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOST: '127.0.0.1', PORT: String(port), TEXT_PORT: String(textPort), PUSHPORT_RUN_DIR: join(scratch, 'run') };
    const server = spawn(ENTRYPOINT, [], { cwd: root, env, detached: true, stdio: 'ignore' });
    trackGroup(server.pid!);
    await waitFor(() => LineClient.request(textPort, '{"uid":"nobody"}').catch(() => ''), 'the server to serve', PROCESS_START_MS);
    const health = () => spawnSync('node', ['dist/bin/pushport.js', 'status'], { cwd: root, env, encoding: 'utf8' });
    expect(health().status, health().stderr).toBe(0);
    const exited = new Promise((done) => server.once('exit', done));
    server.kill('SIGTERM');
    await exited;
    await expect.poll(() => listenSockets(port)).toBe(0);
    expect(health().status).toBe(1);
  }, 60_000);
});
