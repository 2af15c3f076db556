import { describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, MemoryRelay, RelayedTarget, defaultLimits } from '../../../src/index.ts';
import { FakeSocket } from '../fake-socket.ts';

/** Three "processes", each with its own hub, relayed in memory. */
function threeProcesses() {
  const hubs = [0, 1, 2].map(() => new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits));
  const relay = new MemoryRelay(hubs);
  const targets = hubs.map((h) => new RelayedTarget(h, relay.from(h)));
  const join = (process: number, uid: string) => {
    const s = new FakeSocket();
    hubs[process]!.connect(s);
    hubs[process]!.receive(s, uid);
    return s;
  };
  return { hubs, targets, join };
}

describe('RelayedTarget', () => {
  it('reaches a uid in whichever process holds it, exactly once per socket', async () => {
    const { targets, join } = threeProcesses();
    const here = join(0, 'u');
    const there = join(2, 'u');
    expect(await targets[1]!.push('u', 'm')).toBe(2);
    expect(here.sent).toEqual(['m']);
    expect(there.sent).toEqual(['m']);
    expect(await targets[1]!.push('nobody', 'm')).toBe(0);
    expect(await targets[0]!.pushMany([{ uid: 'u', message: 'a' }, { uid: 'x', message: 'b' }])).toEqual([2, 0]);
  });

  it('answers broadcast, online and kick for the whole server', async () => {
    const { targets, join } = threeProcesses();
    const a = join(0, 'a');
    join(1, 'b');
    join(2, 'a');
    expect(await targets[2]!.online('a')).toBe(2);
    expect(await targets[1]!.broadcast('all')).toBe(3);
    expect(a.sent).toEqual(['all']);
    expect(await targets[1]!.kick('a')).toBe(2);
    expect(a.closed?.code).toBe(1000);
    expect(await targets[0]!.online('a')).toBe(0);
  });

  it('counts each push once and each uid once in stats', async () => {
    const { targets, join } = threeProcesses();
    join(0, 'u');
    join(1, 'u');
    join(1, 'v');
    await targets[0]!.push('u', '1');
    await targets[2]!.push('v', '2');
    await targets[2]!.push('w', '3');
    await targets[1]!.broadcast('b');
    expect(await targets[1]!.stats()).toEqual({
      connections: 3, identified: 3, uids: 2, pushes: 3, delivered: 3 + 3, failed: 1, broadcasts: 1,
    });
  });

  it('sends the pushes of one tick to the peers as one request, answering each', async () => {
    const { hubs, join } = threeProcesses();
    join(1, 'far');
    const local = join(0, 'near');
    const asked: string[] = [];
    const inner = new MemoryRelay(hubs).from(hubs[0]!);
    const counting = { peers: inner.peers, ask: ((r: { op: string }) => (asked.push(r.op), inner.ask(r as never))) as typeof inner.ask };
    const target = new RelayedTarget(hubs[0]!, counting);
    const answers = await Promise.all([target.push('far', 'a'), target.push('near', 'b'), target.push('none', 'c')]);
    expect(answers).toEqual([1, 1, 0]);
    expect(asked).toEqual(['deliverMany']);
    expect(local.sent).toEqual(['b']);
    expect(hubs[0]!.counters).toMatchObject({ pushes: 3, delivered: 2, failed: 1 });
  });

  it('asks nobody when alone', async () => {
    const hub = new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits);
    const target = new RelayedTarget(hub, { peers: 0, ask: () => Promise.reject(new Error('must not be asked')) });
    expect(await target.push('x', 'm')).toBe(0);
  });
});
