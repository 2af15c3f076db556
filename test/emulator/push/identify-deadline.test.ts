import { describe, expect, it } from 'vitest';
import { IdentifyDeadline } from '../../../emulator/push/identify-deadline.ts';
import { Hub, MemoryRegistry, defaultLimits } from '../../../src/index.ts';
import { FakeSocket } from '../../src/fake-socket.ts';

describe('IdentifyDeadline', () => {
  it('closes only sockets still without a uid once their time is up, with 1008 and the reason', () => {
    const hub = new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits);
    const deadline = new IdentifyDeadline(hub.registry, 10);
    const [silent, identified, later, gone] = [new FakeSocket(), new FakeSocket(), new FakeSocket(), new FakeSocket()];
    for (const [socket, at] of [[silent, 0], [identified, 0], [gone, 0], [later, 5000]] as const) {
      hub.connect(socket);
      deadline.watch(socket, at);
    }
    hub.receive(identified, 'u1');
    hub.disconnect(gone);
    deadline.forget(gone);
    expect(deadline.sweep(9999)).toBe(0);
    expect(deadline.sweep(10_000)).toBe(1);
    expect(silent.closed).toEqual({ code: 1008, reason: 'identify timeout: send your uid as the first message within 10 s' });
    expect([identified.closed, later.closed, gone.closed]).toEqual([undefined, undefined, undefined]);
    expect(hub.registry.counts()).toMatchObject({ connections: 2, identified: 1 });
    expect(deadline.sweep(15_000)).toBe(1);
    expect(later.closed?.code).toBe(1008);
    deadline.stop();
  });

  it('watches nothing when the timeout is 0 (off)', () => {
    const hub = new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits);
    const deadline = new IdentifyDeadline(hub.registry, 0);
    const socket = new FakeSocket();
    hub.connect(socket);
    deadline.watch(socket, 0);
    expect(deadline.sweep(Number.MAX_SAFE_INTEGER)).toBe(0);
    expect(socket.closed).toBeUndefined();
  });
});
