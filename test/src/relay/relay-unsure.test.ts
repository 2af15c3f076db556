import { describe, expect, it } from 'vitest';
import { processes, settle, uidHomedAt } from './relay-helpers.ts';

describe('a home that cannot reach a holder', () => {
  it('does not answer fail for it: the origin asks every process itself and reaches the socket once', async () => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(1, 3);
    const socket = join(2, uid);
    await settle();
    // The home's link to the holder is down (as while a respawned process remakes its links); the origin's is up.
    relay.cut(1, 2);
    expect(await targets[0]!.push(uid, 'hello')).toBe(1);
    expect(socket.sent).toEqual(['hello']);
    relay.mend(1, 2);
    expect(await targets[0]!.push(uid, 'again')).toBe(1);
    expect(socket.sent).toEqual(['hello', 'again']);
  });

  it('still answers fail when every process was asked and nobody holds the uid', async () => {
    const { relay, targets } = await processes(3);
    const uid = uidHomedAt(1, 3);
    relay.cut(1, 2);
    expect(await targets[0]!.push(uid, 'nobody')).toBe(0);
  });
});
