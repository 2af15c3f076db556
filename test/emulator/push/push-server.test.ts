import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, freePort, runDir } from '../helpers/processes.ts';
import { LineClient } from '../../support/line-client.ts';
import { openClient, upgrade } from '../../support/ws-client.ts';
import { BIN, startPushServer, type PushServerProcess } from '../../support/push-server-process.ts';

afterAll(cleanup);

/** Opens `n` clients identified as u0…u(n-1), each recording what it receives. */
async function clients(server: PushServerProcess, n: number) {
  const opened = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const c = await openClient(server.wsUrl);
    c.ws.send(`u${i}`);
    return c;
  }));
  return { inboxes: opened.map((c) => c.messages), sockets: opened.map((c) => c.ws) };
}

async function stats(server: PushServerProcess) {
  const res = await fetch(`${server.httpUrl}/stats`, { headers: { authorization: 'Bearer t' } });
  return (await res.json()) as Record<string, number>;
}

/** Writes lines on one text connection and collects one reply per line (a load test: 20 s at most). */
async function pushLines(port: number, lines: string[]): Promise<string[]> {
  const client = await LineClient.open(port);
  try {
    client.write(lines.map((l) => `${l}\n`).join(''));
    return await client.read(lines.length, 20_000);
  } finally {
    client.close();
  }
}

describe('push server with 4 processes', () => {
  it('delivers 5,000 pushes from random text connections exactly once to 500 clients', async () => {
    const server = await startPushServer(['--count', '4'], { PUSH_TOKEN: 't' });
    const { inboxes, sockets } = await clients(server, 500);
    await expect.poll(async () => (await stats(server)).identified, { timeout: 10_000 }).toBe(500);
    // 5,000 pushes spread over 20 text connections; each uid gets 10, each with its own sequence number.
    const pushes = Array.from({ length: 5000 }, (_, k) => ({ uid: `u${k % 500}`, seq: k }));
    const perConnection = Array.from({ length: 20 }, (_, c) => pushes.filter((_, k) => k % 20 === c).map((p) => JSON.stringify(p)));
    const replies = (await Promise.all(perConnection.map((lines) => pushLines(server.textPort, lines)))).flat();
    expect(replies.filter((r) => r === 'ok')).toHaveLength(5000);
    await expect.poll(() => inboxes.reduce((n, box) => n + box.length, 0), { timeout: 10_000 }).toBe(5000);
    inboxes.forEach((box, i) => {
      const seqs = box.map((m) => JSON.parse(m).seq as number).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 10 }, (_, j) => i + 500 * j));
    });
    // broadcast, online and stats answer for the whole server, not for the process that got the request.
    const broadcast = await fetch(`${server.httpUrl}/broadcast`, { method: 'POST', body: 'all', headers: { authorization: 'Bearer t' } });
    expect(await broadcast.json()).toEqual({ delivered: 500 });
    expect(await stats(server)).toMatchObject({ connections: 500, identified: 500, uids: 500, pushes: 5000, failed: 0, broadcasts: 1 });
    const status = await server.command('status');
    expect(status.output.match(/pushport\s+\d\s+websocket:/g)).toHaveLength(4);
    for (const ws of sockets) ws.close();
    await server.stop();
  }, 90_000);
});

describe('push server behaviour', () => {
  it('cuts off a client that stops reading once its unsent bytes pass --max-send-buffer-bytes', async () => {
    const server = await startPushServer(['--max-send-buffer-bytes', '65536', '--heartbeat-seconds', '0'], { PUSH_TOKEN: 't' });
    const { sockets } = await clients(server, 1);
    await expect.poll(async () => (await stats(server)).identified).toBe(1);
    (sockets[0] as unknown as { _socket: { pause(): void } })._socket.pause();
    // Well past what the kernel's loopback buffers absorb, so the server's own buffer must fill.
    const pad = 'x'.repeat(32 * 1024);
    const replies = await pushLines(server.textPort, Array.from({ length: 600 }, () => JSON.stringify({ uid: 'u0', pad })));
    expect(replies.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(replies.at(-1)).toBe('fail');
    expect(await stats(server)).toMatchObject({ connections: 0, identified: 0 });
    await server.stop();
  }, 60_000);

  it('drops a client that does not answer ping frames, keeps one that does', async () => {
    const server = await startPushServer(['--heartbeat-seconds', '2'], { PUSH_TOKEN: 't' });
    const deaf = await openClient(server.wsUrl, undefined, { autoPong: false });
    const alive = await openClient(server.wsUrl);
    deaf.ws.send('deaf');
    alive.ws.send('alive');
    await deaf.closed;
    const res = await fetch(`${server.httpUrl}/online/alive`, { headers: { authorization: 'Bearer t' } });
    expect(await res.json()).toMatchObject({ connections: 1 });
    alive.ws.close();
    await server.stop();
  }, 30_000);

  it('refuses a forged client token in signed mode before any socket opens', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't', CLIENT_SECRET: 'sec' });
    const { signClientToken } = await import('../../../src/index.ts');
    const good = await openClient(`${server.wsUrl}/ws?token=${await signClientToken('signed', 'sec', 60)}`);
    const online = async () => ((await (await fetch(`${server.httpUrl}/online/signed`, { headers: { authorization: 'Bearer t' } })).json()) as { connections: number }).connections;
    await expect.poll(online).toBe(1);
    const forged = await upgrade(`${server.wsUrl}/ws?token=${await signClientToken('signed', 'other', 60)}`);
    expect(forged).toMatchObject({ status: 401, body: expect.stringContaining('invalid client token') });
    good.ws.close();
    await server.stop();
  }, 30_000);

  it('says in one line that a port is taken, and exits 1', async () => {
    const [port, textPort] = [await freePort(), await freePort()];
    const { createServer } = await import('node:net');
    const taken = createServer().listen(textPort, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const result = await cli(BIN, ['start', '--port', String(port), '--text-port', String(textPort)], { PUSHPORT_RUN_DIR: runDir() });
    taken.close();
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe(`pushport: port ${textPort} on 127.0.0.1 is already in use: is another server (or another pushport) running there?`);
  });

  it('says it is already running rather than that its own port is taken', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't' });
    const again = await cli(BIN, ['start', '-d', '--port', String(server.port), '--text-port', String(server.textPort)], { PUSHPORT_RUN_DIR: server.runDir });
    expect(again).toEqual({ code: 1, output: `pushport: already running on port ${server.port} (master pid ${server.masterPid}); use stop, restart or reload\n` });
    await server.stop();
  }, 30_000);

  it('explains a bad flag in one line and exits 2; --help documents the settings', async () => {
    const bad = await cli(BIN, ['start', '--prot', '9'], { PUSHPORT_RUN_DIR: runDir() });
    expect(bad).toEqual({ code: 2, output: 'pushport: unknown option --prot (see pushport --help)\n' });
    expect(await cli(BIN, ['strat'], {})).toEqual({ code: 2, output: 'pushport: unknown command "strat" (see pushport --help)\n' });
    const help = await cli(BIN, ['--help'], {});
    expect(help.code).toBe(0);
    for (const flag of ['--port', '--text-port', '--host', '--text-host', '--count', '--push-token', 'bridge']) expect(help.output).toContain(flag);
  });
});

describe('push server reload', () => {
  it('replaces both processes without refusing a connection; clients of a replaced one get 1001', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    const { sockets } = await clients(server, 20);
    await expect.poll(async () => (await stats(server)).identified).toBe(20);
    const codes = sockets.map((ws) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))));
    let reloading = true;
    const reload = server.command('reload').finally(() => (reloading = false));
    const refused: string[] = [];
    let served = 0;
    // Bounded in count; the reload ends it first in practice.
    for (let i = 0; i < 2000 && reloading; i++) {
      await fetch(`${server.httpUrl}/`).then(async (r) => {
        await r.text();
        served++;
      }, (e: Error & { cause?: { code?: string } }) => refused.push(e.cause?.code ?? e.message));
    }
    expect((await reload).code).toBe(0);
    expect(refused.filter((code) => code === 'ECONNREFUSED')).toEqual([]);
    // Requests were served while the processes were being replaced: the check above saw the reload.
    expect(served).toBeGreaterThan(0);
    expect(new Set(await Promise.all(codes))).toEqual(new Set([1001]));
    const { inboxes } = await clients(server, 1);
    await expect.poll(async () => (await stats(server)).identified).toBe(1);
    expect((await pushLines(server.textPort, ['{"uid":"u0","after":"reload"}']))).toEqual(['ok']);
    await expect.poll(() => inboxes[0]).toEqual(['{"uid":"u0","after":"reload"}']);
    await server.stop();
  }, 60_000);
});
