import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openClient } from '../../support/ws-client.ts';
import { cleanup, runDir } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';
import { canRun, missingTool } from '../../support/missing-tool.ts';

const fakes: Server[] = [];
afterAll(() => {
  cleanup();
  for (const fake of fakes) fake.close();
});

/** The reference's PHP backend, word for word but for the port. */
const referenceBackend = (port: number, uid: string) => `<?php
$client = stream_socket_client('tcp://127.0.0.1:${port}', $errno, $errmsg, 1);
$data = array('uid'=>'${uid}', 'percent'=>'88%');
fwrite($client, json_encode($data)."\\n");
echo fread($client, 8192);
`;

// CI installs php-cli (.ci/run); a developer machine without PHP skips this one test, CI never does.
const skipped = missingTool(canRun('php'), 'php', 'apt-get install php-cli');

describe.skipIf(skipped !== undefined)(`PHP backends: the reference's, unchanged, and the README's${skipped ? ` (${skipped})` : ''}`, () => {
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

  it("the README's retrying backend sends a line again on a new connection when the first closed without a reply", async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    const snippet = /```php\n(function push\(array \$data\)[\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet, 'the README no longer has the retrying PHP backend').toBeDefined();
    // A text port closed by a reload before it read the line, then the successor that answers it.
    const lines: string[] = [];
    let connections = 0;
    const port = await new Promise<number>((resolve) => {
      const fake = createServer((socket) => {
        if (connections++ === 0) return void socket.destroy();
        socket.on('data', (data) => {
          lines.push(String(data));
          socket.end('ok\n');
        });
      });
      fakes.push(fake);
      fake.listen(0, '127.0.0.1', () => resolve((fake.address() as AddressInfo).port));
    });
    const script = join(runDir(), 'retry.php');
    writeFileSync(script, `<?php\n${snippet!.replace('127.0.0.1:5678', `127.0.0.1:${port}`)}`);
    const out = await new Promise<string>((resolve, reject) => execFile('php', [script], { timeout: 10_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))));
    expect(out).toBe('ok');
    expect(lines).toEqual(['{"uid":"uid1","percent":"88%"}\n']);
    expect(connections).toBe(2);
  });
});
