import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDir, relaySocketFor, runPaths, socketPath } from '../../emulator/run-paths.ts';
import { BIN } from '../support/push-server-process.ts';
import { cleanup, cli, freePort, runDir } from './helpers/processes.ts';

afterAll(cleanup);

describe('a run dir that cannot be used', () => {
  const start = async (dir: string) => {
    const [port, textPort] = [await freePort(), await freePort()];
    // Bounded: a start that hangs is killed here and then fails the exit-code check.
    return cli(BIN, ['start', '--port', String(port), '--text-port', String(textPort)], { PUSHPORT_RUN_DIR: dir }, 10_000);
  };

  it('through a file: one line naming the file, exit 1, no stack trace', async () => {
    const file = join(runDir(), 'a-file');
    writeFileSync(file, '');
    const result = await start(join(file, 'run'));
    expect(result.code).toBe(1);
    expect(result.output).toContain(`pushport: cannot use run dir ${join(file, 'run')}: ${file} is a file, not a folder`);
    expect(result.output).not.toMatch(/^\s+at /m);
  });

  it('under /proc: one line and exit 1, where a recursive mkdir would spin forever', async () => {
    const result = await start('/proc/pushport-cannot-be-here/run');
    expect(result.code).toBe(1);
    expect(result.output).toContain('pushport: cannot create run dir /proc/pushport-cannot-be-here/run: mkdir /proc/pushport-cannot-be-here failed');
    expect(result.output).not.toMatch(/^\s+at /m);
  });
});

describe('run paths', () => {
  it('creates a missing run dir level by level, and accepts one that exists', () => {
    const deep = join(runDir(), 'a', 'b', 'c');
    ensureDir(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(() => ensureDir(deep)).not.toThrow();
    mkdirSync(join(deep, 'd'));
    expect(() => ensureDir(join(deep, 'd'))).not.toThrow();
  });

  it('keeps every unix socket path within one limit, the control socket and the relay alike', () => {
    const before = process.env.PUSHPORT_RUN_DIR;
    process.env.PUSHPORT_RUN_DIR = `/tmp/${'deep/'.repeat(30)}`;
    try {
      expect(relaySocketFor(1234, 3)).toMatch(/^.+\/pushport-[0-9a-f]{16}\.relay-3\.sock$/);
      expect(runPaths().controlSocket).toMatch(/^.+\/pushport-[0-9a-f]{16}\.sock$/);
      for (const path of [relaySocketFor(1234, 3), runPaths().controlSocket]) expect(path.length).toBeLessThanOrEqual(96);
    } finally {
      if (before === undefined) delete process.env.PUSHPORT_RUN_DIR;
      else process.env.PUSHPORT_RUN_DIR = before;
    }
    expect(socketPath('/tmp/short.sock')).toBe('/tmp/short.sock');
  });
});
