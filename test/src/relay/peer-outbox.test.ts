import { describe, expect, it } from 'vitest';
import { FrameReader, FrameType, PeerOutbox } from '../../../src/index.ts';

/** An outbox whose peer 1 takes everything and answers nothing; what went out is kept. */
function silentPeer(up = true) {
  const sent: Uint8Array[] = [];
  const outbox = new PeerOutbox({ self: 0, count: 2, send: (_, b) => (sent.push(b), up), reply: () => up });
  const frames = () => sent.flatMap((b) => new FrameReader().read(b));
  return { outbox, sent, frames };
}

describe('PeerOutbox', () => {
  it('sends what one tick queued for a peer as one buffer, presence first and coalesced per uid', async () => {
    const { outbox, sent, frames } = silentPeer();
    outbox.request(1, FrameType.deliver, 0, 'a', 'm1', () => {});
    outbox.tellPresence(1, 'x', true);
    outbox.request(1, FrameType.deliver, 0, 'b', 'm2', () => {});
    outbox.tellPresence(1, 'x', false);
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    expect(frames().map((f) => [f.type, f.uid])).toEqual([[FrameType.left, 'x'], [FrameType.deliver, 'a'], [FrameType.deliver, 'b']]);
  });

  it('gives up on a request that is never answered after at most two expiries', () => {
    const { outbox } = silentPeer();
    const answers: (number | undefined)[] = [];
    outbox.request(1, FrameType.deliver, 0, 'a', 'm', (n) => answers.push(n));
    outbox.expire();
    expect(answers).toEqual([]);
    outbox.expire();
    expect(answers).toEqual([undefined]);
  });

  it('fails the requests of a peer that cannot be reached, at once', () => {
    const { outbox } = silentPeer(false);
    const answers: (number | undefined)[] = [];
    outbox.request(1, FrameType.deliver, 0, 'a', 'm', (n) => answers.push(n));
    outbox.flush();
    expect(answers).toEqual([undefined]);
  });

  it('takes an answer only from the peer that was asked', () => {
    const { outbox, frames } = silentPeer();
    const answers: (number | undefined)[] = [];
    outbox.request(1, FrameType.online, 0, 'a', '', (n) => answers.push(n));
    outbox.flush();
    const id = frames()[0]!.id;
    outbox.answered(0, id, 5, '');
    outbox.answered(1, id, 2, '');
    outbox.answered(1, id, 3, '');
    expect(answers).toEqual([2]);
  });
});
