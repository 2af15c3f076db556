import { describe, expect, it } from 'vitest';
import { processes, settle, uidHomedAt } from './relay-helpers.ts';

describe('a process that cannot reach a holder', () => {
  it('answers at once with what it reached, and reaches the holder again once its link is remade', async () => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(1, 3);
    const socket = join(2, uid);
    await settle();
    // The link from process 0 to the holder is down (as while a respawned process is relinked); 1's is up.
    relay.cut(0, 2);
    expect(await targets[0]!.push(uid, 'cut off')).toBe(0);
    expect(await targets[1]!.push(uid, 'hello')).toBe(1);
    relay.mend(0, 2);
    expect(await targets[0]!.push(uid, 'again')).toBe(1);
    expect(socket.sent).toEqual(['hello', 'again']);
  });

  it('answers fail when every process it could ask said none', async () => {
    const { relay, targets } = await processes(3);
    relay.cut(1, 2);
    expect(await targets[0]!.push(uidHomedAt(1, 3), 'nobody')).toBe(0);
    expect(await targets[1]!.push(uidHomedAt(1, 3), 'nobody')).toBe(0);
  });

  it('never sends a plain push to a holder twice, even when its answer is lost with a link reset', async () => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(1, 3);
    const tab = join(2, uid);
    await settle();
    // The request reaches process 2 only after 0 has given up on it (2's successor said hello): 0 must not ask
    // 2 again through another way, or the tab gets the push twice once the held request lands.
    relay.hold(0, 2);
    const answer = targets[0]!.push(uid, 'once');
    await settle();
    relay.nodes[0]!.peerReset(2);
    await answer;
    relay.release(0, 2);
    await settle();
    expect(tab.sent).toEqual(['once']);
  });
});
