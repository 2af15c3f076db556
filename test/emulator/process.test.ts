import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LineClient } from '../support/line-client.ts';
import { PROCESS_START_MS, waitFor } from '../support/poll.ts';
import { alive, cleanup, cli, freePort, launch, masterPid, runDir, trackGroup } from './helpers/processes.ts';

const APP = 'test/emulator/fixtures/echo-app.ts';

afterEach(cleanup);

async function setup(extra: Record<string, string> = {}): Promise<{ dir: string; port: number; env: Record<string, string> }> {
  const dir = runDir();
  const port = await freePort();
  return { dir, port, env: { PUSHPORT_RUN_DIR: dir, PORT: String(port), ...extra } };
}

/** Child pids from `status` rows (the `echo` worker). */
async function childPids(env: Record<string, string>): Promise<number[]> {
  const { code, output } = await cli(APP, ['status'], env);
  if (code !== 0) return [];
  return [...output.matchAll(/^(\d+)\s+echo\s+\d+\s/gm)].map((match) => Number(match[1]));
}

async function startForeground(env: Record<string, string>, port: number): Promise<void> {
  launch(APP, ['start'], env);
  await waitFor(() => LineClient.request(port, 'ping').catch(() => ''), 'the app to serve', PROCESS_START_MS);
}

describe('process supervision', () => {
  it('respawns a child killed with SIGKILL, and the new one serves', async () => {
    const { port, env } = await setup({ COUNT: '2' });
    await startForeground(env, port);
    const before = await waitFor(async () => ((await childPids(env)).length === 2 ? childPids(env) : null), 'two children', PROCESS_START_MS);
    const victim = before[0] ?? 0;
    process.kill(victim, 'SIGKILL');
    const after = await waitFor(async () => {
      const pids = await childPids(env);
      return pids.length === 2 && !pids.includes(victim) ? pids : null;
    }, 'a replacement', PROCESS_START_MS);
    expect(after).toContain(before[1]);
    expect(await LineClient.request(port, 'hi')).toMatch(/^\d+ hi$/);
  });

  it('stop returns only when the master and every child are gone', async () => {
    const { dir, port, env } = await setup({ COUNT: '3' });
    await startForeground(env, port);
    const children = await waitFor(async () => ((await childPids(env)).length === 3 ? childPids(env) : null), 'three children', PROCESS_START_MS);
    const master = masterPid(dir, 'echo-app.ts');
    const stopped = await cli(APP, ['stop'], env);
    expect(stopped.code, stopped.output).toBe(0);
    expect([master, ...children].filter(alive)).toEqual([]);
    expect(existsSync(join(dir, 'echo-app.ts.pid'))).toBe(false);
  });

  // One process, so a reload that stopped the old child before the new one listened would leave nobody on the port.
  it('reload replaces a reusePort child without refusing a single connection', async () => {
    const { port, env } = await setup({ COUNT: '1', REUSE_PORT: '1' });
    await startForeground(env, port);
    const before = await waitFor(async () => ((await childPids(env)).length === 1 ? childPids(env) : null), 'the child', PROCESS_START_MS);
    let reloading = true;
    const reload = cli(APP, ['reload'], env).finally(() => (reloading = false));
    const failures: string[] = [];
    let served = 0;
    // Bounded in count; the reload ends it first in practice.
    for (let i = 0; i < 5000 && reloading; i++) {
      await LineClient.request(port, `n${i}`).then(() => served++, (error: Error) => failures.push(error.message));
    }
    const result = await reload;
    expect(result.code, result.output).toBe(0);
    // Refused = no socket on the port. A reset is possible (a client queued on the old socket as it closes:
    // Linux's tcp_migrate_req fixes that) and is not what this checks.
    expect(failures.filter((message) => message.includes('ECONNREFUSED'))).toEqual([]);
    expect(served).toBeGreaterThan(0);
    const after = await childPids(env);
    expect(after).toHaveLength(1);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
  });

  it('start fails with "Address already in use" when another program holds the port', async () => {
    const { port, env } = await setup({ COUNT: '2' });
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(port, '127.0.0.1', done));
    try {
      const result = await cli(APP, ['start'], env);
      expect(result.code).toBe(1);
      expect(result.output).toContain('Address already in use');
    } finally {
      squatter.close();
    }
  });

  it('start of a reusePort Worker refuses a port an unrelated SO_REUSEPORT server holds, instead of joining it', async () => {
    const { port, env } = await setup({ COUNT: '2', REUSE_PORT: '1' });
    const other = createServer();
    await new Promise<void>((done) => other.listen({ port, host: '127.0.0.1', reusePort: true }, done));
    try {
      const result = await cli(APP, ['restart'], env);
      expect(result).toEqual({ code: 1, output: `pushport: port ${port} on 127.0.0.1 is already in use: is another server (or another pushport) running there?\n` });
    } finally {
      other.close();
    }
  });

  it('a throwing onWorkerStart is logged, the child exits 250 and is started again', async () => {
    const { env } = await setup({ COUNT: '1', FAIL_START: '1' });
    const app = launch(APP, ['start'], env);
    await waitFor(() => (app.output().match(/exit with status 250/g) ?? []).length >= 2, 'two failed starts', PROCESS_START_MS);
    expect(app.output()).toContain('onWorkerStart failed on purpose');
  });
});

describe('daemon CLI', () => {
  it('start -d, already running, status, stop, not running', async () => {
    const { dir, port, env } = await setup({ COUNT: '2' });
    const started = await cli(APP, ['start', '-d'], env);
    expect(started.code, started.output).toBe(0);
    const master = masterPid(dir, 'echo-app.ts');
    trackGroup(master);
    expect(await LineClient.request(port, 'hi')).toMatch(/^\d+ hi$/);

    const again = await cli(APP, ['start', '-d'], env);
    expect(again.code).toBe(1);
    expect(again.output).toContain('already running');

    const status = await cli(APP, ['status'], env);
    expect(status.code).toBe(0);
    expect(status.output).toContain(`master pid ${master}`);
    expect(status.output).toMatch(new RegExp(`echo\\s+0\\s+text://127\\.0\\.0\\.1:${port}`));
    const children = await childPids(env);
    expect(children).toHaveLength(2);

    expect((await cli(APP, ['connections'], env)).output).toContain('connections');
    expect((await cli(APP, ['stop'], env)).code).toBe(0);
    expect([master, ...children].filter(alive)).toEqual([]);

    for (const command of ['stop', 'status', 'reload']) {
      const result = await cli(APP, [command], env);
      expect(result.code).toBe(1);
      expect(result.output).toContain('not running');
    }
    expect((await cli(APP, ['bogus'], env)).code).toBe(2);
  });
});

describe('restart and graceful stop', () => {
  it('restart -d replaces the master and every child, and serves again', async () => {
    const { dir, port, env } = await setup({ COUNT: '2' });
    expect((await cli(APP, ['start', '-d'], env)).code).toBe(0);
    const before = masterPid(dir, 'echo-app.ts');
    trackGroup(before);
    const restarted = await cli(APP, ['restart', '-d'], env);
    expect(restarted.code, restarted.output).toBe(0);
    const after = masterPid(dir, 'echo-app.ts');
    trackGroup(after);
    expect(after).not.toBe(before);
    expect(alive(before)).toBe(false);
    expect(await LineClient.request(port, 'again')).toMatch(/^\d+ again$/);
    expect((await cli(APP, ['stop'], env)).code).toBe(0);
  });

  it('stop -g waits for an open connection to leave, then stops', async () => {
    const { dir, port, env } = await setup({ COUNT: '1' });
    expect((await cli(APP, ['start', '-d'], env)).code).toBe(0);
    const master = masterPid(dir, 'echo-app.ts');
    trackGroup(master);
    const client = await LineClient.open(port);
    client.socket.write('hold\n');
    await client.waitForText('hold');
    let stopped = false;
    const stopping = cli(APP, ['stop', '-g'], env).then((r) => {
      stopped = true;
      return r;
    });
    // Once the master has begun the graceful stop, the open connection keeps its child, and so the stop, alive.
    const log = join(dir, 'echo-app.ts.log');
    await expect.poll(() => existsSync(log) && readFileSync(log, 'utf8').includes('stopping gracefully')).toBe(true);
    expect(stopped).toBe(false);
    client.socket.write('still served\n');
    await client.waitForText('still served');
    client.socket.end();
    expect((await stopping).code).toBe(0);
    expect(alive(master)).toBe(false);
  });
});
