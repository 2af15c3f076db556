import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, RelayedTarget, answerHubRequest, defaultLimits } from '../../../src/index.ts';
import { SocketRelay } from '../../../emulator/push/socket-relay.ts';
import { FakeSocket } from '../../src/fake-socket.ts';

const dir = mkdtempSync(join(tmpdir(), 'pushport-relay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function mesh(count: number, tag: string, live = (_: number) => true) {
  const hubs = Array.from({ length: count }, () => new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits));
  const relays = hubs.map((hub, self) => new SocketRelay({
    self, count, pathOf: (i) => join(dir, `${tag}-${i}.sock`), answer: (r) => answerHubRequest(hub, r), timeoutMs: 500,
  }));
  await Promise.all(relays.map((r, i) => (live(i) ? r.listen() : undefined)));
  const join1 = (i: number, uid: string) => {
    const s = new FakeSocket();
    hubs[i]!.connect(s);
    hubs[i]!.receive(s, uid);
    return s;
  };
  return { hubs, relays, targets: hubs.map((h, i) => new RelayedTarget(h, relays[i]!)), join: join1, close: () => relays.forEach((r) => r.close()) };
}

describe('SocketRelay between processes', () => {
  it('reaches sockets held by the other processes over unix sockets', async () => {
    const m = await mesh(3, 'a');
    const far = m.join(2, 'u');
    const near = m.join(0, 'u');
    expect(await m.targets[1]!.push('u', 'hi')).toBe(2);
    expect(far.sent).toEqual(['hi']);
    expect(near.sent).toEqual(['hi']);
    expect(await m.targets[0]!.pushMany([{ uid: 'u', message: '1' }, { uid: 'v', message: '2' }])).toEqual([2, 0]);
    expect((await m.targets[2]!.stats()).pushes).toBe(3);
    m.close();
  });

  it('answers without a peer that is down instead of hanging', async () => {
    const m = await mesh(3, 'b', (i) => i !== 1);
    m.join(2, 'u');
    expect(await m.targets[0]!.push('u', 'x')).toBe(1);
    expect(await m.targets[0]!.online('u')).toBe(1);
    m.close();
  });

  it('reconnects to a peer that came back', async () => {
    const m = await mesh(2, 'c');
    m.join(1, 'u');
    expect(await m.targets[0]!.push('u', 'x')).toBe(1);
    m.relays[1]!.close();
    expect(await m.targets[0]!.push('u', 'x')).toBe(0);
    await m.relays[1]!.listen();
    expect(await m.targets[0]!.push('u', 'x')).toBe(1);
    m.close();
  });
});
