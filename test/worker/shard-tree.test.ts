import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gather, listName, restOf, spanName, splitCount, splitList, splitSpan, type Gathered, type Span,
} from '../../worker/shard-tree.ts';

/** The smallest L with width^L ≥ count, at least 1: the depth the tree promises. */
function depthBound(count: number, width: number): number {
  let levels = 1;
  for (let reach = width; reach < count; reach *= width) levels++;
  return levels;
}

interface Walk {
  /** How many times each object was called. */
  calls: number[];
  /** The deepest level any call happened at (the Worker's calls are level 1). */
  depth: number;
  /** The most calls one invocation (the Worker's, or one object's) made. */
  widest: number;
}

/** Walks the tree as the Worker and the objects do: split, call the first of each part, which serves itself. */
function walk(count: number, width: number): Walk {
  const seen: Walk = { calls: new Array<number>(count).fill(0), depth: 0, widest: 0 };
  const handOn = (span: Span, level: number) => {
    const parts = splitSpan(span, width);
    seen.widest = Math.max(seen.widest, parts.length);
    for (const part of parts) {
      seen.calls[part.from]!++;
      seen.depth = Math.max(seen.depth, level);
      handOn(restOf(part), level + 1);
    }
  };
  handOn({ from: 0, to: count }, 1);
  return seen;
}

const counts = fc.integer({ min: 1, max: 5000 });
const widths = fc.integer({ min: 2, max: 100 });

describe('the fan-out tree', () => {
  it('splits into at most width contiguous runs that cover every position once, lengths within one', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), widths, (count, width) => {
      const runs = splitCount(count, width);
      expect(runs.length).toBe(Math.min(count, width));
      let next = 0;
      for (const run of runs) {
        expect(run.from).toBe(next);
        expect(run.to).toBeGreaterThan(run.from);
        next = run.to;
      }
      expect(next).toBe(count);
      const lengths = runs.map((r) => r.to - r.from);
      if (lengths.length > 0) expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
    }));
  });

  it('calls every object exactly once, no invocation more than width times, at most ⌈log_width N⌉ deep', () => {
    fc.assert(fc.property(counts, widths, (count, width) => {
      const { calls, depth, widest } = walk(count, width);
      expect(calls.every((n) => n === 1)).toBe(true);
      expect(widest).toBeLessThanOrEqual(width);
      expect(depth).toBeLessThanOrEqual(depthBound(count, width));
    }));
  });

  it('is flat up to width objects, and 3 levels at 64 objects and width 4', () => {
    expect(walk(32, 32).depth).toBe(1);
    expect(walk(33, 32).depth).toBe(2);
    expect(walk(64, 4).depth).toBe(3);
    expect(walk(1, 4).depth).toBe(1);
  });

  it('splits a span and a list the same way, in order', () => {
    expect(splitSpan({ from: 10, to: 20 }, 4)).toEqual([{ from: 10, to: 13 }, { from: 13, to: 16 }, { from: 16, to: 18 }, { from: 18, to: 20 }]);
    expect(splitList(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b', 'c'], ['d', 'e']]);
    expect(splitSpan({ from: 5, to: 5 }, 4)).toEqual([]);
    expect(spanName({ from: 4, to: 5 })).toBe('shard 4');
    expect(spanName({ from: 4, to: 8 })).toBe('shards 4–7');
    expect(listName([3])).toBe('shard 3');
    expect(listName([3, 9, 12])).toBe('shards 3, 9, 12');
    expect(listName([1, 2, 3, 4, 5, 9])).toBe('6 shards from 1 to 9');
  });

  it('merges answers in part order and names each part that failed, with what its own parts missed', async () => {
    const parts = [{ from: 1, to: 2 }, { from: 2, to: 4 }, { from: 4, to: 6 }, { from: 6, to: 8 }];
    const call = async (part: Span): Promise<Gathered<number[]>> => {
      if (part.from === 2) throw new Error('overloaded');
      if (part.from === 6) return { value: [6], missing: ['shard 7 did not answer (gone)'] };
      return { value: [part.from, part.from + 1].slice(0, part.to - part.from), missing: [] };
    };
    const got = await gather([0], parts, call, (a, b) => a.concat(b), spanName);
    expect(got.value).toEqual([0, 1, 4, 5, 6]);
    expect(got.missing).toEqual(['shards 2–3 did not answer (overloaded)', 'shard 7 did not answer (gone)']);
    // A call that throws before it returns a promise is a missing part too, not a crash.
    const sync = await gather(0, [1], () => { throw new Error('no stub'); }, (a, b) => a + b, (n) => `shard ${n}`);
    expect(sync).toEqual({ value: 0, missing: ['shard 1 did not answer (no stub)'] });
  });
});
