import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { SocketAttachment } from '../../worker/edge-socket.ts';

const hub = () => env.PUSH_HUB.get(env.PUSH_HUB.idFromName('idle-sweep-test'));

async function socket(uid: string) {
  const res = await hub().fetch(`http://hub/ws?uid=${uid}`, { headers: { Upgrade: 'websocket' } });
  const ws = res.webSocket!;
  ws.accept();
  const got: string[] = [];
  ws.addEventListener('message', (e) => {
    got.push(String(e.data));
  });
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  return { ws, got, closed };
}

describe('idle timeout (IDLE_TIMEOUT_SECONDS=3600 in the test config)', () => {
  it('schedules a sweep that closes silent sockets and keeps those that ping', async () => {
    const silent = await socket('idle-silent');
    const pinger = await socket('idle-pinger');
    expect(await runInDurableObject(hub(), (_, state) => state.storage.getAlarm())).not.toBeNull();
    // Both connected two hours ago, as far as the sweep can tell.
    await runInDurableObject(hub(), (_, state) => {
      for (const ws of state.getWebSockets()) {
        const a = ws.deserializeAttachment() as SocketAttachment;
        ws.serializeAttachment({ ...a, since: Date.now() - 7200_000 });
      }
    });
    pinger.ws.send('ping');
    await expect.poll(() => pinger.got).toEqual(['pong']);
    expect(await runDurableObjectAlarm(hub())).toBe(true);
    expect(await silent.closed).toBe(1001);
    const stats = await hub().stats();
    expect(stats.identified).toBe(1);
    expect(await hub().online('idle-pinger')).toBe(1);
    // The pinger keeps the sweep scheduled.
    expect(await runInDurableObject(hub(), (_, state) => state.storage.getAlarm())).not.toBeNull();
  });
});
