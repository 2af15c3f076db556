import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';

afterAll(cleanup);

/** One variable of a running process's environment as it started, read from /proc (Linux). */
function startEnv(pid: number, name: string): string | undefined {
  const line = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((entry) => entry.startsWith(`${name}=`));
  return line?.slice(name.length + 1);
}

describe.runIf(existsSync('/proc/self/environ'))('the serving processes\' malloc arenas', () => {
  it('are capped at two unless the operator set a cap', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't' });
    try {
      const [child] = await server.children();
      expect(startEnv(child!, 'MALLOC_ARENA_MAX')).toBe(process.env.MALLOC_ARENA_MAX ?? '2');
    } finally {
      await server.stop();
    }
  });

  it('keep the operator\'s cap', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't', MALLOC_ARENA_MAX: '4' });
    try {
      const [child] = await server.children();
      expect(startEnv(child!, 'MALLOC_ARENA_MAX')).toBe('4');
    } finally {
      await server.stop();
    }
  });
});
