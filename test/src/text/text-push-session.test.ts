import { describe, expect, it, vi } from 'vitest';
import { QUEUED, refusal, TextPushSession, type AnswerSink, type PushAnswer, type PushTarget } from '../../../src/index.ts';

/** A target whose pushes resolve when told to, to make them finish out of order. */
function slowTarget(online: Record<string, number>) {
  const pending: (() => void)[] = [];
  const pushed: string[] = [];
  const target = {
    push: (uid: string, message: string) => new Promise<number>((resolve, reject) => {
      pushed.push(message);
      pending.push(() => (uid === 'boom' ? reject(new Error('upstream\nfailed')) : resolve(online[uid] ?? 0)));
    }),
  } as unknown as PushTarget;
  return { target, pushed, releaseInReverse: () => pending.splice(0).reverse().forEach((f) => f()) };
}

/** A target that answers at once, as the local hub does. */
function localTarget(online: Record<string, number>) {
  const pushed: string[] = [];
  const target = { push: (uid: string, message: string) => (pushed.push(message), online[uid] ?? 0) } as unknown as PushTarget;
  return { target, pushed };
}

/** A target that hands later answers to the session by line number (pushTo), as the relayed target does. */
function sinkTarget(answers: Record<string, PushAnswer>) {
  const later: (() => void)[] = [];
  const target = {
    push: () => {
      throw new Error('a target with pushTo is asked with pushTo');
    },
    pushTo: (uid: string, _message: string, _options: unknown, sink: AnswerSink, tag: number) => {
      if (uid === 'now') return 1;
      later.push(() => sink.settle(tag, answers[uid] ?? 0));
      return undefined;
    },
  } as unknown as PushTarget;
  return { target, releaseInReverse: () => later.splice(0).reverse().forEach((f) => f()) };
}

function session(target: PushTarget, token?: string) {
  const replies: string[] = [];
  let closed = false;
  const s = new TextPushSession({ target, maxUidBytes: 16, token, reply: (r) => replies.push(r), close: () => (closed = true) });
  return { s, replies, isClosed: () => closed };
}

describe('TextPushSession', () => {
  it('answers at once, in the same call, when the target answers at once', () => {
    const t = localTarget({ a: 1 });
    const { s, replies } = session(t.target);
    for (const line of ['{"uid":"a"}', 'nope', '{"uid":"b"}', '{"x":1}', '', '{"uid":"a","n":2}']) s.line(line);
    expect(replies).toEqual(['ok', 'error invalid JSON', 'fail', 'error missing uid', 'error empty push', 'ok']);
    expect(t.pushed).toEqual(['{"uid":"a"}', '{"uid":"b"}', '{"uid":"a","n":2}']);
    expect(s.waiting).toBe(0);
  });

  it('answers pipelined lines in order even when pushes finish out of order', async () => {
    const t = slowTarget({ a: 1 });
    const { s, replies } = session(t.target);
    for (const line of ['{"uid":"a"}', 'nope', '{"uid":"b"}', '{"x":1}', '{"uid":"boom"}', '', '{"uid":"a","n":2}']) s.line(line);
    expect(t.pushed).toHaveLength(4);
    expect(replies).toEqual([]);
    expect(s.waiting).toBe(7);
    t.releaseInReverse();
    await vi.waitFor(() => expect(replies).toHaveLength(7));
    expect(replies).toEqual(['ok', 'error invalid JSON', 'fail', 'error missing uid', 'error upstream failed', 'error empty push', 'ok']);
    expect(t.pushed).toEqual(['{"uid":"a"}', '{"uid":"b"}', '{"uid":"boom"}', '{"uid":"a","n":2}']);
    expect(s.waiting).toBe(0);
  });

  it('takes later answers by line number from a target with pushTo, and writes them in line order', () => {
    const t = sinkTarget({ a: 2, q: QUEUED, r: refusal('queue full') });
    const { s, replies } = session(t.target);
    for (const line of ['{"uid":"a"}', '{"uid":"now"}', 'nope', '{"uid":"q"}', '{"uid":"b"}', '{"uid":"r"}', '{"uid":"now"}']) s.line(line);
    expect(replies).toEqual([]);
    expect(s.waiting).toBe(7);
    t.releaseInReverse();
    expect(replies).toEqual(['ok', 'ok', 'error invalid JSON', 'queued', 'fail', 'error queue full', 'ok']);
    expect(s.waiting).toBe(0);
  });

  it('keeps a bounded queue for a backend that never lets it empty, and still answers each line in order', async () => {
    // Every push is answered later, and a new line always comes before the oldest answer: the queue never drains.
    const resolvers: (() => void)[] = [];
    const target = {
      push: (uid: string) => new Promise<number>((resolve) => resolvers.push(() => resolve(uid === 'a' ? 1 : 0))),
    } as unknown as PushTarget;
    const { s, replies } = session(target);
    let most = 0;
    for (let i = 0; i < 10_000; i++) {
      s.line(i % 3 === 0 ? '{"uid":"b"}' : '{"uid":"a"}');
      if (i > 0) resolvers.shift()!();
      await Promise.resolve();
      await Promise.resolve();
      most = Math.max(most, s.kept);
    }
    expect(s.waiting).toBe(1);
    expect(most).toBeLessThan(2100);
    resolvers.shift()!();
    await vi.waitFor(() => expect(replies).toHaveLength(10_000));
    expect(replies.every((r, i) => r === (i % 3 === 0 ? 'fail' : 'ok'))).toBe(true);
  });

  it('wants the token first when one is set, then pushes', async () => {
    const t = slowTarget({ a: 1 });
    const { s, replies, isClosed } = session(t.target, 'secret');
    s.line('secret');
    s.line('{"uid":"a"}');
    await vi.waitFor(() => expect(t.pushed).toHaveLength(1));
    t.releaseInReverse();
    await vi.waitFor(() => expect(replies).toEqual(['ok', 'ok']));
    expect(isClosed()).toBe(false);
  });

  it('closes on a wrong token and pushes nothing after it', async () => {
    const t = localTarget({ a: 1 });
    const { s, replies, isClosed } = session(t.target, 'secret');
    s.line('guess');
    s.line('{"uid":"a"}');
    await vi.waitFor(() => expect(isClosed()).toBe(true));
    s.line('{"uid":"a"}');
    expect(replies).toEqual(['error invalid token']);
    expect(t.pushed).toEqual([]);
  });
});
