import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cleanup, freePort, trackGroup } from '../emulator/helpers/processes.ts';
import { LineClient } from '../support/line-client.ts';
import { canRun, missingTool } from '../support/missing-tool.ts';
import { PROCESS_START_MS, waitFor } from '../support/poll.ts';
import { startPushServer } from '../support/push-server-process.ts';

const root = resolve(import.meta.dirname, '../..');
const NGINX = '/usr/sbin/nginx';
const scratch = mkdtempSync(join(tmpdir(), 'pushport-nginx-'));
// nginx's workers drop root's rights and write their temp files here.
chmodSync(scratch, 0o755);
afterAll(() => {
  cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

// deploy/nginx.conf as written, but for the addresses: loopback ports, a self-signed certificate, the test server.
function siteFor(tlsPort: number, plainPort: number, pushportPort: number): string {
  const site = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8');
  return site
    .replace('listen 443 ssl;', `listen 127.0.0.1:${tlsPort} ssl;`)
    .replace('listen 80;', `listen 127.0.0.1:${plainPort};`)
    .replace(/ *listen \[::\]:\d+( ssl)?;\n/g, '')
    .replace(/ssl_certificate +\S+;/, `ssl_certificate ${scratch}/cert.pem;`)
    .replace(/ssl_certificate_key +\S+;/, `ssl_certificate_key ${scratch}/key.pem;`)
    .replace('http://127.0.0.1:1234', `http://127.0.0.1:${pushportPort}`);
}

function nginxConf(site: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${scratch}/${kind};`).join('\n');
  return `daemon off;\nworker_processes 1;\npid ${scratch}/nginx.pid;\nerror_log ${scratch}/error.log;\nevents {}\nhttp {\n  access_log off;\n${temp}\n${site}\n}\n`;
}

const accepts = (port: number) => new Promise<boolean>((done) => {
  const socket = connect(port, '127.0.0.1', () => {
    socket.destroy();
    done(true);
  });
  socket.once('error', () => done(false));
});

const skipped = missingTool(canRun(NGINX, ['-v']) && canRun('openssl', ['version']), 'nginx or openssl', 'apt-get install nginx openssl');

describe.skipIf(skipped)('deploy/nginx.conf in front of pushport', () => {
  it('passes `nginx -t`, and carries a wss:// client to pushport through TLS and the upgrade headers', async () => {
    const keygen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', join(scratch, 'key.pem'), '-out', join(scratch, 'cert.pem')], { encoding: 'utf8' });
    expect(keygen.status, keygen.stderr).toBe(0);
    const server = await startPushServer([], { PUSH_TOKEN: 't' });
    const [tlsPort, plainPort] = [await freePort(), await freePort()];
    const conf = join(scratch, 'nginx.conf');
    writeFileSync(conf, nginxConf(siteFor(tlsPort, plainPort, server.port)));
    const nginx = (...args: string[]) => [...args, '-p', scratch, '-e', join(scratch, 'error.log'), '-c', conf];
    const checked = spawnSync(NGINX, nginx('-t'), { encoding: 'utf8' });
    expect(checked.stderr, checked.stderr).toContain('test is successful');

    const proxy = spawn(NGINX, nginx(), { detached: true, stdio: 'ignore' });
    trackGroup(proxy.pid!);
    await waitFor(async () => (await accepts(tlsPort)) || null, 'nginx to listen', PROCESS_START_MS);

    const client = new WebSocket(`wss://127.0.0.1:${tlsPort}/`, { rejectUnauthorized: false });
    const received: string[] = [];
    client.on('message', (data) => received.push(String(data)));
    await new Promise((opened, failed) => client.once('open', opened).once('error', failed));
    client.send('behind-nginx');
    await expect.poll(() => LineClient.request(server.textPort, '{"uid":"behind-nginx","n":1}')).toBe('ok');
    await expect.poll(() => received).toEqual(['{"uid":"behind-nginx","n":1}']);
    client.close();

    // Plain HTTP is sent to https.
    const plain = await fetch(`http://127.0.0.1:${plainPort}/`, { redirect: 'manual' });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toBe('https://127.0.0.1/');
    proxy.kill('SIGQUIT');
    await server.stop();
  }, 60_000);
});
