import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LineClient } from '../support/line-client.ts';
import { PROCESS_START_MS, waitFor } from '../support/poll.ts';
import { alive, cleanup, cli, freePort, masterPid, runDir, trackGroup } from './helpers/processes.ts';

const APP = 'test/emulator/fixtures/echo-app.ts';

afterEach(cleanup);

/** Starts the echo app as a daemon with one child that records its lifecycle; returns what a test needs. */
async function started(extra: Record<string, string> = {}) {
  const dir = runDir();
  const port = await freePort();
  const events = join(dir, 'events.txt');
  const env = { PUSHPORT_RUN_DIR: dir, PORT: String(port), COUNT: '1', EVENTS: events, ...extra };
  const start = await cli(APP, ['start', '-d'], env);
  expect(start.code, start.output).toBe(0);
  const master = masterPid(dir, 'echo-app.ts');
  trackGroup(master);
  const serving = await waitFor(() => LineClient.request(port, 'pid').catch(() => ''), 'the child to serve', PROCESS_START_MS);
  const child = Number(serving.split(' ')[0]);
  /** The lifecycle lines recorded so far. */
  const recorded = () => (existsSync(events) ? readFileSync(events, 'utf8').trim().split('\n') : []);
  /** The lifecycle events of one process, in order. */
  const eventsOf = (pid: number) => recorded().filter((line) => line.endsWith(` ${pid}`)).map((line) => line.split(' ')[0]);
  /** The processes started after the first child. */
  const successors = () => recorded().filter((line) => line.startsWith('start ') && line !== `start ${child}`).map((line) => Number(line.split(' ')[1]));
  /** The pid that answers on the port now (a fresh connection). */
  const servingPid = async () => Number((await LineClient.request(port, 'pid')).split(' ')[0]);
  return { dir, port, env, master, child, recorded, eventsOf, successors, servingPid };
}

describe('the emulator API in a running server', () => {
  it('reload -g runs onWorkerReload then onWorkerStop in the old child, which serves its open connection until it leaves', async () => {
    const app = await started();
    const held = await LineClient.open(app.port);
    held.write('hold\n');
    expect(await held.read()).toEqual([`${app.child} hold`]);
    let done = false;
    const reload = cli(APP, ['reload', '-g'], app.env).then((r) => ((done = true), r));
    await expect.poll(() => app.eventsOf(app.child)).toEqual(['start', 'reload', 'stop']);
    expect(app.successors()).toHaveLength(1);
    await expect.poll(app.servingPid).toBe(app.successors()[0]);
    // Graceful: the old child is still there for the connection it holds, and the reload waits for it.
    held.write('still\n');
    expect(await held.read()).toEqual([`${app.child} still`]);
    expect(done).toBe(false);
    held.socket.end();
    expect((await reload).code).toBe(0);
    await expect.poll(() => alive(app.child)).toBe(false);
    expect((await cli(APP, ['stop'], app.env)).code).toBe(0);
  });

  it('SIGUSR1 reloads; SIGQUIT stops gracefully, waiting for an open connection; SIGTERM stops at once', async () => {
    const app = await started();
    process.kill(app.master, 'SIGUSR1');
    await expect.poll(() => app.eventsOf(app.child)).toEqual(['start', 'reload', 'stop']);
    const [second] = app.successors();
    await expect.poll(app.servingPid).toBe(second);

    const held = await LineClient.open(app.port);
    held.write('hold\n');
    expect(await held.read()).toEqual([`${second} hold`]);
    process.kill(app.master, 'SIGQUIT');
    await expect.poll(() => app.eventsOf(second!)).toEqual(['start', 'stop']);
    held.write('still\n');
    expect(await held.read()).toEqual([`${second} still`]);
    expect(alive(app.master)).toBe(true);
    held.socket.end();
    await expect.poll(() => alive(app.master) || alive(second!), { timeout: PROCESS_START_MS }).toBe(false);

    const again = await started();
    const open = await LineClient.open(again.port);
    process.kill(again.master, 'SIGTERM');
    await open.closed;
    await expect.poll(() => alive(again.master) || alive(again.child), { timeout: PROCESS_START_MS }).toBe(false);
    expect(again.recorded()).toEqual([`start ${again.child}`, `stop ${again.child}`]);
  }, 60_000);

  it('Worker.stopAll() in a child stops that child (onWorkerStop runs) and the master starts another; getRemoteIp answers', async () => {
    const app = await started();
    expect(await LineClient.request(app.port, 'ip')).toBe(`${app.child} 127.0.0.1`);
    const client = await LineClient.open(app.port);
    client.write('stopall\n');
    await client.closed;
    await expect.poll(() => app.eventsOf(app.child)).toEqual(['start', 'stop']);
    await expect.poll(() => app.successors().length, { timeout: PROCESS_START_MS }).toBe(1);
    await expect.poll(app.servingPid, { timeout: PROCESS_START_MS }).not.toBe(app.child);
    expect(alive(app.master)).toBe(true);
    expect((await cli(APP, ['stop'], app.env)).code).toBe(0);
  });

  it('writes its log to Worker.logFile and a daemon\'s output to Worker.stdoutFile', async () => {
    const dir = runDir();
    const [log, out] = [join(dir, 'custom', 'server.log'), join(dir, 'custom', 'server.out')];
    const app = await started({ LOG_FILE: log, STDOUT_FILE: out });
    await expect.poll(() => existsSync(out) && readFileSync(out, 'utf8')).toContain(`started ${app.child}`);
    expect((await cli(APP, ['stop'], app.env)).code).toBe(0);
    await expect.poll(() => existsSync(log) && readFileSync(log, 'utf8')).toContain('stopping');
    // Nothing went to the default files beside the pid file.
    expect(existsSync(join(app.dir, 'echo-app.ts.log'))).toBe(false);
  });
});
