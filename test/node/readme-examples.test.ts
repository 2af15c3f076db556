import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { cleanup } from '../emulator/helpers/processes.ts';
import { startPushServer, type PushServerProcess } from '../support/push-server-process.ts';
import { missingTool } from '../support/missing-tool.ts';
import { shellExamples, type ShellExample } from '../support/readme-shell-examples.ts';

const run = promisify(execFile);
const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

afterAll(cleanup);

const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
// CI installs curl (.ci/run); a developer machine without it skips this, CI never does.
const skipped = missingTool(hasCurl, 'curl', 'apt-get install curl');

/** A client as the reference's browser snippet connects: it sends its uid and keeps every push it receives. */
async function connectClient(url: string, uid: string): Promise<{ received: string[]; socket: WebSocket }> {
  const socket = new WebSocket(url);
  const received: string[] = [];
  socket.on('message', (data) => received.push(String(data)));
  await new Promise((opened, failed) => socket.once('open', opened).once('error', failed));
  socket.send(uid);
  return { received, socket };
}

/** Runs one example under bash as written, with the README's addresses pointed at this test's server. */
async function runExample(example: ShellExample, server: PushServerProcess): Promise<string> {
  const script = [...example.setup, example.command].join('\n')
    .replaceAll('127.0.0.1:1234', `127.0.0.1:${server.port}`)
    .replaceAll('/dev/tcp/127.0.0.1/5678', `/dev/tcp/127.0.0.1/${server.textPort}`);
  const { stdout } = await run('bash', ['-c', script], { timeout: 10_000 });
  return stdout;
}

/** The body a `curl -d '…'` example sends, as written. */
const bodyOf = (command: string) => /-d '([^']*)'/.exec(command)?.[1];

describe.skipIf(skipped !== undefined)(`the README's shell examples${skipped ? ` (${skipped})` : ''}`, () => {
  it('answer what their comments say, in order, against a real server with uid1 online and uid2 offline', async () => {
    const examples = shellExamples(readme);
    // The quickstart, the HTTP API block and the ttl example: a parse that finds fewer has lost a block.
    expect(examples.length).toBeGreaterThanOrEqual(10);
    expect(examples.filter((e) => e.expected).length).toBeGreaterThanOrEqual(8);

    const token = /^PUSH_TOKEN=(\S+) npm start/m.exec(readme)?.[1];
    expect(token).toBeTruthy();
    const server = await startPushServer([], { PUSH_TOKEN: token! });
    const uid1 = await connectClient(server.wsUrl, 'uid1');
    const online = () => fetch(`${server.httpUrl}/online/uid1`, { headers: { authorization: `Bearer ${token}` } })
      .then((res) => res.json() as Promise<{ connections: number }>);
    await expect.poll(async () => (await online()).connections).toBe(1);

    const delivered: string[] = [];
    for (const example of examples) {
      const output = await runExample(example, server);
      const what = `${example.command}\n→ ${output}`;
      const expected = example.expected;
      if (expected && 'line' in expected) {
        expect(output.trim(), what).toBe(expected.line);
      } else {
        // Every HTTP example answers JSON; one that documents no reply must at least not be an error.
        const reply = JSON.parse(output) as Record<string, unknown>;
        if (expected) expect(reply, what).toEqual(expected.json);
        else expect(reply, what).not.toHaveProperty('error');
      }
      const body = bodyOf(example.command);
      if (body?.includes('"uid":"uid1"') && /"delivered":[1-9]/.test(output)) delivered.push(body);
      const later = expected?.note && /then (\w+) connects and receives the line as sent/.exec(expected.note)?.[1];
      if (later) {
        const client = await connectClient(server.wsUrl, later);
        await expect.poll(() => client.received, { message: what }).toEqual([body]);
        client.socket.close();
      }
    }
    // The pushes answered as delivered to uid1 reached it, each as written.
    expect(delivered.length).toBeGreaterThan(0);
    for (const body of delivered) expect(uid1.received).toContain(body);
    uid1.socket.close();
    await server.stop();
  }, 60_000);
});
