import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openClient } from '../../support/ws-client.ts';
import { cleanup, runDir } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';
import { missingTool } from '../../support/missing-tool.ts';

afterAll(cleanup);

function hasPhp(): boolean {
  try {
    execFileSync('php', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The reference's PHP backend, word for word but for the port. */
const referenceBackend = (port: number, uid: string) => `<?php
$client = stream_socket_client('tcp://127.0.0.1:${port}', $errno, $errmsg, 1);
$data = array('uid'=>'${uid}', 'percent'=>'88%');
fwrite($client, json_encode($data)."\\n");
echo fread($client, 8192);
`;

// CI installs php-cli (.ci/run); a developer machine without PHP skips this one test, CI never does.
const skipped = missingTool(hasPhp(), 'php', 'apt-get install php-cli');

describe.skipIf(skipped !== undefined)(`the reference PHP backend, unchanged${skipped ? ` (${skipped})` : ''}`, () => {
  it('pushes through the text port and reads ok, then fail for a uid nobody holds', async () => {
    const server = await startPushServer();
    const { ws, messages: received } = await openClient(`ws://127.0.0.1:${server.port}`);
    ws.send('uid1');
    const dir = runDir();
    const run = (uid: string) => {
      const script = join(dir, `push-${uid}.php`);
      writeFileSync(script, referenceBackend(server.textPort, uid));
      return execFileSync('php', [script], { encoding: 'utf8', timeout: 10_000 });
    };
    await expect.poll(() => run('uid1'), { timeout: 5000 }).toBe('ok\n');
    await expect.poll(() => received.at(-1)).toBe('{"uid":"uid1","percent":"88%"}');
    expect(run('nobody')).toBe('fail\n');
    ws.close();
    await server.stop();
  }, 30_000);
});
