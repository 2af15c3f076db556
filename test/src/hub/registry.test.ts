import { describe, expect, it } from 'vitest';
import { MemoryRegistry } from '../../../src/index.ts';
import { FakeSocket } from '../fake-socket.ts';

describe('MemoryRegistry', () => {
  it('keeps tabs of a uid oldest first and forgets them one by one', () => {
    const r = new MemoryRegistry<FakeSocket>();
    const [a, b] = [new FakeSocket(), new FakeSocket()];
    r.add(a);
    r.add(b);
    r.bind(b, 'u');
    r.bind(a, 'u');
    expect([...r.socketsOf('u')]).toEqual([b, a]);
    expect([...r.identifiedSets()].map((set) => [...set])).toEqual([[b, a]]);
    expect(r.counts()).toEqual({ connections: 2, identified: 2, uids: 1 });
    expect(r.remove(b)).toBe('u');
    expect([...r.socketsOf('u')]).toEqual([a]);
    expect(r.remove(a)).toBe('u');
    expect(r.remove(a)).toBeUndefined();
    expect(r.counts()).toEqual({ connections: 0, identified: 0, uids: 0 });
  });

  it('hands out a uid\'s sockets as a snapshot: one that joins or leaves later does not change a walk in progress', () => {
    const r = new MemoryRegistry<FakeSocket>();
    const [a, b, c] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    for (const socket of [a, b]) r.bind(socket, 'u');
    const walked: FakeSocket[] = [];
    for (const socket of r.socketsOf('u')) {
      walked.push(socket);
      // A send that fails may close its socket at once, and a new tab may identify meanwhile.
      r.remove(socket === a ? b : a);
      r.bind(c, 'u');
    }
    expect(walked).toEqual([a, b]);
    expect([...r.socketsOf('u')]).toEqual([c]);
  });

  it('binds a socket once: a second uid does not move it', () => {
    const r = new MemoryRegistry<FakeSocket>();
    const a = new FakeSocket();
    r.add(a);
    r.bind(a, 'first');
    r.bind(a, 'second');
    expect(r.uidOf(a)).toBe('first');
    expect([...r.socketsOf('second')]).toEqual([]);
    expect([...r.identified()]).toEqual([a]);
  });

  it('finds a socket by id even through another wrapper object', () => {
    const r = new MemoryRegistry<FakeSocket>();
    const a = new FakeSocket();
    r.add(a);
    r.bind(a, 'u');
    const sameId = Object.assign(new FakeSocket(), { id: a.id });
    expect(r.uidOf(sameId)).toBe('u');
    expect(r.remove(sameId)).toBe('u');
    expect(r.counts().identified).toBe(0);
  });
});
