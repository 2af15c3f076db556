import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/free-port.ts';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

// npm's own variables (set when the suite runs under `npm test`) would point the scratch project's npm at this repo.
const env: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter((entry): entry is [string, string] => !entry[0].startsWith('npm_') && entry[1] !== undefined),
);
// npm, npx and the installed bin's `#!/usr/bin/env node` all run on the Node running these tests.
env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}`;

async function sh(cwd: string, command: string, args: string[], extra: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env: { ...env, ...extra }, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

// What a user gets from `npm install pushport`: the tarball `npm pack` makes (of the dist/ that `pretest` built),
// installed into a project of their own. Its dependencies are linked from this repo, so no registry is needed.
describe('the packed package, installed in a scratch project', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pushport-packed-'));
  const project = join(scratch, 'user-app');
  const runDir = join(scratch, 'run');
  let files: Array<{ path: string; mode: number }> = [];
  let port = 0;

  beforeAll(async () => {
    const packed = await sh(root, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch]);
    expect(packed.code, packed.output).toBe(0);
    const [info] = JSON.parse(packed.output.slice(packed.output.indexOf('['))) as [{ filename: string; files: Array<{ path: string; mode: number }> }];
    files = info.files;
    const linked = (name: string) => `file:${join(root, 'node_modules', name)}`;
    const deps = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies as Record<string, string>;
    const dependencies = { pushport: `file:${join(scratch, info.filename)}`, ...Object.fromEntries(Object.keys(deps).map((d) => [d, linked(d)])) };
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module', dependencies }));
    const installed = await sh(project, 'npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts']);
    expect(installed.code, installed.output).toBe(0);
  }, 120_000);

  afterAll(async () => {
    if (port) await sh(project, 'npx', ['--no-install', 'pushport', 'stop', '--port', String(port)], { PUSHPORT_RUN_DIR: runDir });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('holds the built code, the Worker sources to deploy, and no tests, benchmarks or source maps', () => {
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'wrangler.toml', 'dist/bin/pushport.js', 'dist/emulator/index.js',
      'dist/emulator/index.d.ts', 'dist/src/index.js', 'dist/src/index.d.ts', 'worker/index.ts', 'src/index.ts']) {
      expect(files.map((f) => f.path)).toContain(needed);
    }
    expect(files.map((f) => f.path).filter((f) => /^(test|bench|scripts|examples|node_modules)\/|\.map$|^emulator\/|^bin\//.test(f))).toEqual([]);
  });

  it('carries the MIT license package.json names', () => {
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).license).toBe('MIT');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 pushport contributors\n/);
  });

  // Run straight from the unpacked files (a systemd ExecStart, a tarball extracted by hand), not only through npm's bin link.
  it('keeps the command executable in the tarball', () => {
    const bin = files.find((f) => f.path === 'dist/bin/pushport.js');
    expect((bin?.mode ?? 0) & 0o111, `mode ${bin?.mode.toString(8)}`).toBe(0o111);
  });

  it('runs `npx pushport start -d` and `stop`, naming itself pushport rather than its install path', async () => {
    port = await freePort();
    const textPort = await freePort();
    const server = { PUSHPORT_RUN_DIR: runDir, PUSH_TOKEN: 'packed' };
    const started = await sh(project, 'npx', ['--no-install', 'pushport', 'start', '-d', '--port', String(port), '--text-port', String(textPort)], server);
    expect(started.code, started.output).toBe(0);
    expect(started.output).toContain(`pushport: WebSocket clients on ws://127.0.0.1:${port}`);
    expect(started.output).toContain(`pushport on port ${port} started in daemon mode`);
    const online = await fetch(`http://127.0.0.1:${port}/online/nobody`, { headers: { authorization: 'Bearer packed' } });
    expect(await online.json()).toMatchObject({ connections: 0 });
    // The first page and the client module it imports come from the built files, with nothing built at install.
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain("from '/pushport-client.js'");
    expect(await (await fetch(`http://127.0.0.1:${port}/pushport-client.js`)).text()).toMatch(/export\s*\{[^}]*\bPushportSocket\b/);
    const stopped = await sh(project, 'npx', ['--no-install', 'pushport', 'stop', '--port', String(port)], server);
    expect(stopped.code, stopped.output).toBe(0);
    expect(stopped.output).toContain(`pushport on port ${port} stopped`);
    expect(started.output + stopped.output).not.toContain('node_modules');
    port = 0;
  }, 60_000);

  it('runs a user script that imports pushport/emulator and pushport', async () => {
    // Node does not strip types under node_modules: pushport/emulator must resolve to the built JavaScript.
    writeFileSync(join(project, 'app.ts'), [
      "import { Worker, type TcpConnection } from 'pushport/emulator';",
      "import { parsePush } from 'pushport';",
      "const worker = new Worker('text://127.0.0.1:0');",
      'worker.onMessage = (connection: TcpConnection, line: string) => connection.send(line);',
      'worker.listen();',
      "console.log(typeof worker.address()?.port, JSON.stringify(parsePush('{\"uid\":7}', 64)));",
      'worker.unlisten();',
    ].join('\n'));
    const out = await sh(project, process.execPath, ['app.ts']);
    expect(out.output.trim()).toBe('number {"ok":true,"uid":"7","message":"{\\"uid\\":7}"}');
  });
});
