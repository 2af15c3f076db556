import { describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, defaultLimits } from '../../../src/index.ts';
import { FakeSocket } from '../fake-socket.ts';

/** A hub over a fake store holding seqs 1..9 of uid `u` (`m<seq>`), recording each read. */
function hubOverStore() {
  const hub = new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits);
  const reads: [number, number][] = [];
  hub.readStoredBetween = (_uid, after, before) => {
    reads.push([after, before]);
    const seqs = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((seq) => seq > after && seq < before);
    return seqs.map((seq) => ({ seq, message: `m${seq}` }));
  };
  const tab = new FakeSocket();
  tab.v1 = true;
  hub.connect(tab);
  hub.identify(tab, 'u');
  return { hub, reads, tab };
}

describe('Hub: a v1 socket\'s seq gaps', () => {
  it('reads the store only on a gap, sends the missing seqs first and never a late copy again', () => {
    const { hub, reads, tab } = hubOverStore();
    hub.sendBacklog(tab, [{ seq: 1, message: 'm1' }]);
    expect(hub.deliverSeq('u', 'm2', 2)).toBe(1);
    expect(reads).toEqual([]);
    expect(hub.deliverSeq('u', 'm5', 5)).toBe(1);
    expect(reads).toEqual([[2, 5]]);
    expect(hub.deliverSeq('u', 'm4', 4)).toBe(1);
    expect(tab.sent).toEqual(['1 m1', '2 m2', '3 m3', '4 m4', '5 m5']);
  });

  it('counts from the seq a client resumed after, and fills a gap inside what came live during its backlog read', () => {
    const { hub, reads, tab } = hubOverStore();
    hub.deliverSeq('u', 'm7', 7);
    hub.sendBacklog(tab, [{ seq: 5, message: 'm5' }], 4);
    expect(reads).toEqual([[5, 7]]);
    expect(tab.sent).toEqual(['5 m5', '6 m6', '7 m7']);
  });

  it('does not send the push after a gap it could not fill (the socket is closing), so the client resumes before it', () => {
    const { hub, tab } = hubOverStore();
    hub.sendBacklog(tab, [], 2);
    let sends = 0;
    const send = tab.send.bind(tab);
    tab.send = (m) => ++sends < 2 && send(m);
    expect(hub.deliverSeq('u', 'm6', 6)).toBe(0);
    expect(tab.sent).toEqual(['3 m3']);
    expect(tab.lastSeq).toBe(3);
  });

  it('catches every socket up to the store, except one sent nothing stored yet and one still in its resume window', () => {
    const { hub, reads, tab } = hubOverStore();
    hub.sendBacklog(tab, [], 3);
    const fresh = new FakeSocket();
    fresh.v1 = true;
    hub.connect(fresh);
    hub.identify(fresh, 'u');
    hub.catchUp();
    expect(reads).toEqual([[3, Number.MAX_SAFE_INTEGER]]);
    expect(tab.sent).toEqual(['4 m4', '5 m5', '6 m6', '7 m7', '8 m8', '9 m9']);
    expect(fresh.sent).toEqual([]);
  });
});
