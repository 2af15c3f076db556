import { describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, defaultLimits } from '../../../src/index.ts';
import { FakeSocket } from '../fake-socket.ts';

describe('MemoryRegistry presence, as the relay hears it', () => {
  it('tells when a uid gets its first socket and loses its last, however it is closed', () => {
    const registry = new MemoryRegistry<FakeSocket>();
    const heard: [string, boolean][] = [];
    registry.onUidChange = (uid, online) => heard.push([uid, online]);
    const hub = new Hub(registry, defaultLimits);
    const tab = (uid: string) => {
      const s = new FakeSocket();
      hub.connect(s);
      hub.receive(s, uid);
      return s;
    };
    const a1 = tab('a');
    const a2 = tab('a');
    tab('b');
    expect(heard).toEqual([['a', true], ['b', true]]);
    hub.disconnect(a1);
    expect(heard).toHaveLength(2);
    hub.disconnect(a2);
    hub.kick('b');
    expect(heard).toEqual([['a', true], ['b', true], ['a', false], ['b', false]]);
  });
});
