import { describe, expect, it } from 'vitest';
import { TextPushSession } from '../../../src/index.ts';
import { FrameType } from '../../../src/relay/index.ts';
import { processes, settle, uidHomedAt } from './relay-helpers.ts';

describe('RelayedTarget', () => {
  it('reaches a uid in whichever process holds it, exactly once per socket, from every process', async () => {
    const { targets, join } = await processes(3);
    for (let home = 0; home < 3; home++) {
      const uid = uidHomedAt(home, 3);
      const a = join(0, uid);
      const b = join(2, uid);
      await settle();
      for (let from = 0; from < 3; from++) expect(await targets[from]!.push(uid, `m${from}`)).toBe(2);
      expect(a.sent).toEqual(['m0', 'm1', 'm2']);
      expect(b.sent).toEqual(['m0', 'm1', 'm2']);
    }
    expect(await targets[1]!.push('nobody', 'm')).toBe(0);
    expect(await targets[0]!.pushMany([{ uid: uidHomedAt(1, 3), message: 'a' }, { uid: 'x', message: 'b' }])).toEqual([2, 0]);
  });

  it('answers broadcast, online and kick for the whole server', async () => {
    const { targets, join } = await processes(3);
    const a = join(0, 'a');
    join(1, 'b');
    join(2, 'a');
    await settle();
    expect(await targets[2]!.online('a')).toBe(2);
    expect(await targets[1]!.broadcast('all')).toBe(3);
    expect(a.sent).toEqual(['all']);
    expect(await targets[1]!.kick('a', 'bye')).toBe(2);
    expect(a.closed).toEqual({ code: 1000, reason: 'bye' });
    expect(await targets[0]!.online('a')).toBe(0);
  });

  it('counts each push and each broadcast once, and each uid once, whichever process is asked', async () => {
    const { relay, targets, join } = await processes(3);
    join(0, 'u');
    join(1, 'u');
    join(1, 'v');
    await settle();
    await targets[0]!.push('u', '1');
    await targets[2]!.push('v', '2');
    await targets[2]!.push('w', '3');
    await targets[1]!.broadcast('b');
    await targets[2]!.broadcast('c');
    const expected = { connections: 3, identified: 3, uids: 2, pushes: 3, delivered: 3 + 6, failed: 1, queued: 0, broadcasts: 2 };
    for (const target of targets) expect(await target.stats()).toEqual(expected);
    // The hubs only hold sockets: the counting is the relay's, once, where each push landed.
    expect(relay.nodes.map((node) => node.tally.counters.pushes)).toEqual([1, 0, 2]);
  });

  it('answers a text line that crosses by its line number, in line order, counted once where it landed', async () => {
    const { relay, targets, join } = await processes(3);
    const here = join(0, 'h');
    const far = join(2, 'f');
    const both = [join(1, 'b'), join(2, 'b')];
    await settle();
    const replies: string[] = [];
    const session = new TextPushSession({ target: targets[0]!, maxUidBytes: 16, reply: (r) => replies.push(r), close: () => {} });
    for (const uid of ['f', 'h', 'nobody', 'b', 'h']) session.line(JSON.stringify({ uid }));
    // The first line waits for process 2, so every reply after it waits too: none went out yet.
    expect(replies).toEqual([]);
    expect(session.waiting).toBe(5);
    await settle();
    expect(replies).toEqual(['ok', 'ok', 'fail', 'ok', 'ok']);
    expect([here.sent.length, far.sent.length, ...both.map((s) => s.sent.length)]).toEqual([2, 1, 1, 1]);
    expect(relay.nodes.map((node) => node.tally.counters.pushes)).toEqual([5, 0, 0]);
    expect(relay.nodes[0]!.tally.counters.delivered).toBe(5);
  });

  it('crosses only to the process that holds the uid: one buffer there and one back at count 2', async () => {
    const { relay, targets, join } = await processes(2);
    const remote = uidHomedAt(1, 2);
    const far = join(1, remote);
    await settle();
    relay.sent = 0;
    // Three pushes in one tick to a uid held in process 1: one buffer each way.
    expect(await Promise.all([targets[0]!.push(remote, 'a'), targets[0]!.push(remote, 'b'), targets[0]!.push(remote, 'c')])).toEqual([1, 1, 1]);
    expect(far.sent).toEqual(['a', 'b', 'c']);
    expect(relay.sent).toBe(2);
    // A uid held only where the push lands is answered without crossing, whichever process its hash names.
    for (const uid of [uidHomedAt(0, 2, 'v'), uidHomedAt(1, 2, 'w')]) {
      const near = join(0, uid);
      await settle();
      relay.sent = 0;
      expect(await targets[0]!.push(uid, 'd')).toBe(1);
      expect(near.sent).toEqual(['d']);
      expect(relay.sent).toBe(0);
    }
  });

  it('at count 4, a push crosses only to the holders, never to an uninvolved process', async () => {
    const { relay, targets, join } = await processes(4);
    const uid = uidHomedAt(1, 4);
    const held = [join(2, uid), join(3, uid)];
    await settle();
    relay.sent = 0;
    relay.received.fill(0);
    expect(await targets[0]!.push(uid, 'x')).toBe(2);
    for (const socket of held) expect(socket.sent).toEqual(['x']);
    // 0 → 2 → 0 and 0 → 3 → 0; process 1 (the uid's home for stored pushes) hears nothing.
    expect(relay.sent).toBe(4);
    expect(relay.received[1]).toBe(0);
  });

  it('answers at once when alone', async () => {
    const { targets, join } = await processes(1);
    const s = join(0, 'x');
    expect(await targets[0]!.push('x', 'm')).toBe(1);
    expect(await targets[0]!.push('y', 'm')).toBe(0);
    expect(s.sent).toEqual(['m']);
  });
});

describe('RelayedTarget.onlineMany', () => {
  it('counts every uid across the processes with one request frame per peer for the whole list', async () => {
    const { relay, targets, join } = await processes(3);
    const uids = ['a', 'b', 'c', 'd', 'e', uidHomedAt(1, 3), uidHomedAt(2, 3, 'v'), '__proto__'];
    join(0, 'a');
    join(1, 'a');
    join(2, 'a');
    join(2, 'b');
    join(2, 'b');
    join(1, uids[5]!);
    join(0, '__proto__');
    await settle();
    const asked: Array<{ to: number; type: number }> = [];
    relay.nodes.forEach((node, to) => {
      const receive = node.receive.bind(node);
      node.receive = (from, f) => {
        if (f.type !== FrameType.answer) asked.push({ to, type: f.type });
        receive(from, f);
      };
    });
    const answer = await targets[0]!.onlineMany(uids);
    expect(answer).toEqual(Object.fromEntries([['a', 3], ['b', 2], ['c', 0], ['d', 0], ['e', 0], [uids[5]!, 1], [uids[6]!, 0], ['__proto__', 1]]));
    expect(Object.keys(answer)).toEqual(uids);
    expect(asked).toEqual([{ to: 1, type: FrameType.onlineMany }, { to: 2, type: FrameType.onlineMany }]);
  });

  it('counts a peer that is down as 0 and still answers', async () => {
    const { relay, targets, join } = await processes(3);
    join(0, 'a');
    join(1, 'a');
    join(2, 'a');
    await settle();
    relay.kill(2);
    expect(await targets[0]!.onlineMany(['a', 'b'])).toEqual({ a: 2, b: 0 });
  });

  it('answers alone and for an empty list without crossing', async () => {
    const alone = await processes(1);
    alone.join(0, 'x');
    expect(await alone.targets[0]!.onlineMany(['x', 'y'])).toEqual({ x: 1, y: 0 });
    const { relay, targets } = await processes(2);
    relay.sent = 0;
    expect(await targets[0]!.onlineMany([])).toEqual({});
    expect(relay.sent).toBe(0);
  });
});
