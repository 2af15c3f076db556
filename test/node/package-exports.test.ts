import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

// A user's own project with pushport installed as a copy in node_modules (as npm does from a tarball), where
// Node will not strip types: pushport/emulator must resolve to the built JavaScript.
describe('pushport as an installed package', () => {
  const project = mkdtempSync(join(tmpdir(), 'pushport-user-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('runs a user script that imports pushport/emulator and pushport', () => {
    const installed = join(project, 'node_modules', 'pushport');
    mkdirSync(installed, { recursive: true });
    cpSync(join(root, 'package.json'), join(installed, 'package.json'));
    cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
    for (const dep of ['ws', 'hono', '@hono']) symlinkSync(join(root, 'node_modules', dep), join(project, 'node_modules', dep));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-app', type: 'module' }));
    writeFileSync(join(project, 'app.ts'), [
      "import { Worker, type TcpConnection } from 'pushport/emulator';",
      "import { parsePush } from 'pushport';",
      "const worker = new Worker('text://127.0.0.1:0');",
      "worker.onMessage = (connection: TcpConnection, line: string) => connection.send(line);",
      'worker.listen();',
      "console.log(typeof worker.address()?.port, JSON.stringify(parsePush('{\"uid\":7}', 64)));",
      'worker.unlisten();',
    ].join('\n'));
    const out = execFileSync(process.execPath, ['app.ts'], { cwd: project, encoding: 'utf8', timeout: 20_000 });
    expect(out.trim()).toBe('number {"ok":true,"uid":"7","message":"{\\"uid\\":7}"}');
  });
});
