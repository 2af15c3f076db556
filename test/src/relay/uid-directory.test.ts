import { describe, expect, it } from 'vitest';
import { UidDirectory } from '../../../src/relay/uid-directory.ts';

describe('UidDirectory', () => {
  it('lists the processes that hold a uid, each once, and forgets a uid when its last holder leaves', () => {
    const directory = new UidDirectory();
    directory.add('a', 2);
    directory.add('a', 2);
    directory.add('a', 3);
    directory.add('b', 3);
    expect(directory.holdersOf('a')).toEqual([2, 3]);
    directory.remove('a', 2);
    expect(directory.holdersOf('a')).toEqual([3]);
    directory.remove('a', 1);
    expect(directory.holdersOf('a')).toEqual([3]);
    directory.remove('a', 3);
    expect(directory.holdersOf('a')).toEqual([]);
    expect(directory.size).toBe(1);
  });

  it('never changes a list it handed out, even one shared between uids', () => {
    const directory = new UidDirectory();
    directory.add('a', 1);
    directory.add('b', 1);
    const held = directory.holdersOf('a');
    directory.add('a', 2);
    directory.add('b', 3);
    directory.remove('b', 1);
    expect(held).toEqual([1]);
    expect(directory.holdersOf('a')).toEqual([1, 2]);
    expect(directory.holdersOf('b')).toEqual([3]);
  });

  it('drops every entry of a process whose link died', () => {
    const directory = new UidDirectory();
    for (const uid of ['a', 'b', 'c']) directory.add(uid, 1);
    directory.add('b', 2);
    directory.removeProcess(1);
    expect(directory.holdersOf('a')).toEqual([]);
    expect(directory.holdersOf('b')).toEqual([2]);
    expect(directory.size).toBe(1);
  });
});
