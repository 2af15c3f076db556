import { describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, PushTally } from '../../../src/index.ts';
import { FakeSocket } from '../fake-socket.ts';

function makeHub(maxConnectionsPerUid = 4) {
  return new Hub<FakeSocket>(new MemoryRegistry(), { maxUidBytes: 16, maxConnectionsPerUid, maxMessageBytes: 64 });
}

function identified(hub: Hub<FakeSocket>, uid: string): FakeSocket {
  const s = new FakeSocket();
  hub.connect(s);
  expect(hub.receive(s, uid)).toBe(uid);
  return s;
}

describe('Hub', () => {
  it('takes the first message as the uid and ignores later ones', () => {
    const hub = makeHub();
    const s = identified(hub, 'u1');
    expect(hub.receive(s, 'u2')).toBeUndefined();
    expect(hub.online('u1')).toBe(1);
    expect(hub.online('u2')).toBe(0);
  });

  it('pushes to every tab of a uid, and a tally counts what was delivered', () => {
    const hub = makeHub();
    const tally = new PushTally();
    const [a, b] = [identified(hub, 'u'), identified(hub, 'u')];
    const other = identified(hub, 'v');
    expect(tally.push(hub.deliver('u', 'hi'))).toBe(2);
    expect(a.sent).toEqual(['hi']);
    expect(b.sent).toEqual(['hi']);
    expect(other.sent).toEqual([]);
    expect(tally.push(hub.deliver('nobody', 'x'))).toBe(0);
    expect(tally.counters).toEqual({ pushes: 2, delivered: 2, failed: 1, queued: 0, broadcasts: 0 });
  });

  it('does not count a socket that refuses the message (closing, or over its buffer)', () => {
    const hub = makeHub();
    const a = identified(hub, 'u');
    identified(hub, 'u');
    a.accepting = false;
    expect(hub.deliver('u', 'm')).toBe(1);
    a.accepting = true;
    expect([hub.deliver('u', '1'), hub.deliver('x', '2')]).toEqual([2, 0]);
  });

  it('keeps the other tab when one closes (the reference loses it)', () => {
    const hub = makeHub();
    const a = identified(hub, 'u');
    const b = identified(hub, 'u');
    hub.disconnect(a);
    expect(hub.deliver('u', 'after')).toBe(1);
    expect(b.sent).toEqual(['after']);
    hub.disconnect(b);
    expect(hub.registry.counts()).toMatchObject({ connections: 0, identified: 0, uids: 0 });
  });

  it('broadcasts to identified sockets only', () => {
    const hub = makeHub();
    const tally = new PushTally();
    const a = identified(hub, 'a');
    const anonymous = new FakeSocket();
    hub.connect(anonymous);
    expect(tally.broadcast(hub.deliverAll('all'))).toBe(1);
    expect(a.sent).toEqual(['all']);
    expect(anonymous.sent).toEqual([]);
    expect({ ...hub.registry.counts(), ...tally.counters }).toMatchObject({ connections: 2, identified: 1, uids: 1, broadcasts: 1 });
  });

  it('hands a broadcast to sendNow where a socket has it, and counts only the sockets that took it', () => {
    const hub = makeHub();
    const now: string[] = [];
    const eager = Object.assign(identified(hub, 'a'), { sendNow: (message: string) => now.push(message) > 0 });
    const full = Object.assign(identified(hub, 'b'), { sendNow: () => false });
    const plain = identified(hub, 'c');
    const v1 = Object.assign(identified(hub, 'c'), { v1: true });
    expect(hub.deliverAll('all')).toBe(3);
    expect([now, eager.sent, full.sent, plain.sent, v1.sent]).toEqual([['all'], [], [], ['all'], ['0 all']]);
    // A push to one uid is not a broadcast: it is held with the turn's other frames, through send.
    expect(hub.deliver('a', 'one')).toBe(1);
    expect([now, eager.sent]).toEqual([['all'], ['one']]);
  });

  it('closes the oldest tab when a uid is over its limit', () => {
    const hub = makeHub(2);
    const [a, b, c] = [identified(hub, 'u'), identified(hub, 'u'), identified(hub, 'u')];
    expect(a.closed?.code).toBe(1008);
    expect(b.closed).toBeUndefined();
    expect(c.closed).toBeUndefined();
    expect(hub.online('u')).toBe(2);
  });

  it('closes a socket with a bad uid and says why', () => {
    const hub = makeHub();
    const empty = new FakeSocket();
    hub.connect(empty);
    expect(hub.receive(empty, '')).toBeUndefined();
    expect(empty.closed).toEqual({ code: 1008, reason: 'uid is empty' });
    const long = new FakeSocket();
    hub.connect(long);
    hub.receive(long, 'x'.repeat(17));
    expect(long.closed).toEqual({ code: 1008, reason: 'uid is longer than 16 bytes' });
    const binary = new FakeSocket();
    hub.connect(binary);
    hub.receive(binary, new Uint8Array([1]));
    expect(binary.closed?.code).toBe(1003);
    expect(hub.registry.counts().connections).toBe(0);
  });

  it('closes a socket whose message is over maxMessageBytes with 1009, before or after its uid', () => {
    const hub = makeHub();
    const first = new FakeSocket();
    hub.connect(first);
    expect(hub.receive(first, 'é'.repeat(33))).toBeUndefined();
    expect(first.closed).toEqual({ code: 1009, reason: 'message larger than 64 bytes' });
    const later = identified(hub, 'u');
    hub.receive(later, 'x'.repeat(64));
    expect(later.closed).toBeUndefined();
    hub.receive(later, new Uint8Array(65));
    expect(later.closed).toEqual({ code: 1009, reason: 'message larger than 64 bytes' });
    expect(hub.online('u')).toBe(0);
  });

  it('kicks every connection of a uid', () => {
    const hub = makeHub();
    const [a, b] = [identified(hub, 'u'), identified(hub, 'u')];
    expect(hub.kick('u', 'bye')).toBe(2);
    expect(a.closed).toEqual({ code: 1000, reason: 'bye' });
    expect(b.closed).toEqual({ code: 1000, reason: 'bye' });
    expect(hub.online('u')).toBe(0);
    expect(hub.kick('u')).toBe(0);
  });

  it('survives a socket whose close throws', () => {
    const hub = makeHub();
    const s = identified(hub, 'u');
    s.close = () => {
      throw new Error('already closed');
    };
    expect(hub.kick('u')).toBe(1);
    expect(hub.online('u')).toBe(0);
  });

  it('holds a v1 socket\'s live pushes from its identify until its backlog is written, and sends no seq twice', () => {
    const hub = makeHub();
    const s = new FakeSocket();
    s.v1 = true;
    hub.connect(s);
    hub.receive(s, 'u');
    // Stored and unstored (seq 0) pushes land after the socket is registered, before its backlog is read.
    expect(hub.deliverSeq('u', 'd', 4)).toBe(1);
    expect(hub.deliver('u', 'x')).toBe(1);
    expect(hub.deliverSeq('u', 'a', 1)).toBe(1);
    expect(s.sent).toEqual([]);
    // Push 1 is not in the backlog (delivered, it is no longer queued) and push 4 is in both.
    hub.sendBacklog(s, [{ seq: 2, message: 'b' }, { seq: 3, message: 'c' }, { seq: 4, message: 'd' }]);
    expect(s.sent).toEqual(['1 a', '2 b', '3 c', '4 d', '0 x']);
    hub.deliverSeq('u', 'd', 4);
    hub.deliverSeq('u', 'e', 5);
    expect(s.sent).toEqual(['1 a', '2 b', '3 c', '4 d', '0 x', '5 e']);
  });

  it('holds a broadcast for a v1 socket in its resume window until its backlog is written, and sends it to the others at once', () => {
    const hub = makeHub();
    const plain = identified(hub, 'p');
    const s = new FakeSocket();
    s.v1 = true;
    hub.connect(s);
    hub.receive(s, 'u');
    expect(hub.deliverAll('all')).toBe(2);
    expect(plain.sent).toEqual(['all']);
    expect(s.sent).toEqual([]);
    hub.sendBacklog(s, [{ seq: 1, message: 'a' }]);
    expect(s.sent).toEqual(['1 a', '0 all']);
  });

  it('holds nothing for a plain socket, and forgets a v1 socket that closes in its resume window', () => {
    const hub = makeHub();
    const plain = identified(hub, 'u');
    const v1 = new FakeSocket();
    v1.v1 = true;
    hub.connect(v1);
    hub.receive(v1, 'u');
    expect(hub.deliverSeq('u', 'a', 1)).toBe(2);
    expect(plain.sent).toEqual(['a']);
    hub.disconnect(v1);
    hub.sendBacklog(v1, []);
    expect(v1.sent).toEqual([]);
  });
});
