import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Timer } from '../../emulator/index.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  Timer.delAll();
  vi.useRealTimers();
});

describe('Timer', () => {
  it('runs a persistent timer every interval, with its args, until deleted', () => {
    const calls: string[] = [];
    const id = Timer.add(0.5, (a: string, b: string) => calls.push(`${a}${b}`), ['x', 'y']);
    vi.advanceTimersByTime(1600);
    expect(calls).toEqual(['xy', 'xy', 'xy']);
    expect(Timer.del(id)).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(3);
    expect(Timer.del(id)).toBe(false);
  });

  it('runs a one-shot timer once, after which its id is gone', () => {
    let n = 0;
    const id = Timer.add(1, () => n++, [], false);
    vi.advanceTimersByTime(5000);
    expect(n).toBe(1);
    expect(Timer.del(id)).toBe(false);
  });

  it('keeps running after a callback throws, and delAll stops everything', () => {
    let n = 0;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    Timer.add(1, () => {
      n++;
      throw new Error('boom');
    });
    Timer.add(1, () => n++);
    vi.advanceTimersByTime(2000);
    expect(n).toBe(4);
    expect(quiet).toHaveBeenCalled();
    Timer.delAll();
    vi.advanceTimersByTime(2000);
    expect(n).toBe(4);
  });

  it('refuses a non-positive interval', () => {
    expect(() => Timer.add(0, () => {})).toThrow(RangeError);
  });
});
