import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { SocketAttachment } from '../../worker/edge-socket.ts';

const hub = (name: string) => env.PUSH_HUB.get(env.PUSH_HUB.idFromName(name));

async function socket(name: string, uid?: string) {
  const res = await hub(name).fetch(`http://hub/ws${uid === undefined ? '' : `?uid=${uid}`}`, { headers: { Upgrade: 'websocket' } });
  const ws = res.webSocket!;
  ws.accept();
  const got: string[] = [];
  ws.addEventListener('message', (e) => {
    got.push(String(e.data));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })));
  return { ws, got, closed };
}

// As far as the sweep can tell, every socket of the object connected `ms` ago.
function connectedAgo(name: string, ms: number) {
  return runInDurableObject(hub(name), (_, state) => {
    for (const ws of state.getWebSockets()) {
      const a = ws.deserializeAttachment() as SocketAttachment;
      ws.serializeAttachment({ ...a, since: Date.now() - ms });
    }
  });
}

describe('idle timeout (IDLE_TIMEOUT_SECONDS=3600 in the test config)', () => {
  it('schedules a sweep that closes silent sockets and keeps those that ping', async () => {
    const silent = await socket('idle-sweep-test', 'idle-silent');
    const pinger = await socket('idle-sweep-test', 'idle-pinger');
    expect(await runInDurableObject(hub('idle-sweep-test'), (_, state) => state.storage.getAlarm())).not.toBeNull();
    await connectedAgo('idle-sweep-test', 7200_000);
    pinger.ws.send('ping');
    await expect.poll(() => pinger.got).toEqual(['pong']);
    expect(await runDurableObjectAlarm(hub('idle-sweep-test'))).toBe(true);
    expect((await silent.closed).code).toBe(1001);
    const stats = await hub('idle-sweep-test').stats();
    expect(stats.identified).toBe(1);
    expect(await hub('idle-sweep-test').online('idle-pinger')).toBe(1);
    // The pinger keeps the sweep scheduled.
    expect(await runInDurableObject(hub('idle-sweep-test'), (_, state) => state.storage.getAlarm())).not.toBeNull();
  });
});

describe('identify timeout (IDENTIFY_TIMEOUT_SECONDS, default 10)', () => {
  it('closes a socket that sent no uid in time with 1008 and the reason, from an alarm', async () => {
    const before = Date.now();
    const silent = await socket('identify-sweep-test');
    const late = await socket('identify-sweep-test');
    const identified = await socket('identify-sweep-test', 'on-time');
    // Due within the timeout, not at the hour-long idle timeout.
    const alarm = await runInDurableObject(hub('identify-sweep-test'), (_, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(before + 10_000);
    expect(alarm).toBeLessThan(before + 60_000);
    await connectedAgo('identify-sweep-test', 11_000);
    late.ws.send('late-but-before-the-sweep');
    await expect.poll(() => hub('identify-sweep-test').online('late-but-before-the-sweep')).toBe(1);
    expect(await runDurableObjectAlarm(hub('identify-sweep-test'))).toBe(true);
    expect(await silent.closed).toEqual({ code: 1008, reason: 'identify timeout: send your uid as the first message within 10 s' });
    expect((await hub('identify-sweep-test').stats()).connections).toBe(2);
    identified.ws.send('ping');
    await expect.poll(() => identified.got).toEqual(['pong']);
  });
});
