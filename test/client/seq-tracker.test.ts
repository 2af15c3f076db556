import { describe, expect, it } from 'vitest';
import { SeqTracker } from '../../src/client/index.ts';

describe('SeqTracker', () => {
  it('delivers seqs in order and drops what it has seen', () => {
    const seqs = new SeqTracker();
    seqs.connected();
    expect([1, 2, 2, 1, 3].map((seq) => seqs.check(seq))).toEqual(['deliver', 'deliver', 'duplicate', 'duplicate', 'deliver']);
    expect(seqs.lastSeq).toBe(3);
  });

  it('takes any first seq when it knows none', () => {
    const seqs = new SeqTracker();
    seqs.connected();
    expect(seqs.check(41)).toBe('deliver');
    expect(seqs.lastSeq).toBe(41);
  });

  it('starts from nothing when given a since that is not a positive integer', () => {
    for (const since of [Number.NaN, -3, 2.5, Number('garbled')]) {
      const seqs = new SeqTracker(since);
      seqs.connected();
      expect(seqs.lastSeq, String(since)).toBe(0);
      expect(seqs.check(7), String(since)).toBe('deliver');
    }
  });

  it('asks to refetch on a gap in a live stream, without moving on', () => {
    const seqs = new SeqTracker();
    seqs.connected();
    seqs.check(1);
    expect(seqs.check(3)).toBe('refetch');
    expect(seqs.lastSeq).toBe(1);
  });

  it('refetches a gap at the start of an ordinary reconnect: the missing pushes may have been stored meanwhile', () => {
    const seqs = new SeqTracker(5);
    seqs.connected();
    expect(seqs.check(9)).toBe('refetch');
    expect(seqs.lastSeq).toBe(5);
  });

  it('accepts the same gap at the start of the connection that refetched it as lost, and reports it', () => {
    const seqs = new SeqTracker(5);
    seqs.connected();
    expect(seqs.check(9)).toBe('refetch');
    seqs.connected();
    expect(seqs.check(4)).toBe('duplicate');
    expect(seqs.check(9)).toEqual({ from: 6, to: 8 });
    expect(seqs.lastSeq).toBe(9);
    // Only the first frame of the resume: a later gap is refetched again.
    expect(seqs.check(11)).toBe('refetch');
  });

  it('refetches a gap after a resumed connection delivered in order', () => {
    const seqs = new SeqTracker(5);
    seqs.connected();
    expect(seqs.check(6)).toBe('deliver');
    expect(seqs.check(8)).toBe('refetch');
  });
});
