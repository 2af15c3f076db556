import { describe, expect, it } from 'vitest';
import { EdgeSocket } from '../../worker/edge-socket.ts';
import { offersV1 } from '../../src/index.ts';

function fakeWs(readyState: number, throws = false) {
  const sent: string[] = [];
  const ws = { readyState, send: (m: string) => { if (throws) throw new Error('closed'); sent.push(m); } };
  return { ws: ws as unknown as WebSocket, sent };
}

describe('EdgeSocket', () => {
  it('delivers only while the socket is OPEN', () => {
    const open = fakeWs(1);
    expect(new EdgeSocket(open.ws, { id: 'a', since: 0 }).send('m')).toBe(true);
    expect(open.sent).toEqual(['m']);
    for (const state of [0, 2, 3]) {
      const other = fakeWs(state);
      expect(new EdgeSocket(other.ws, { id: 'b', since: 0 }).send('m')).toBe(false);
      expect(other.sent).toEqual([]);
    }
  });

  it('reports a send that throws as not delivered', () => {
    expect(new EdgeSocket(fakeWs(1, true).ws, { id: 'c', since: 0 }).send('m')).toBe(false);
  });

  it('hears pushport.v1 only as one of the offered subprotocols, exactly', () => {
    expect(offersV1('pushport.v1')).toBe(true);
    expect(offersV1('chat,  pushport.v1 ,x')).toBe(true);
    expect(offersV1(null)).toBe(false);
    expect(offersV1('pushport.v10, Pushport.v1')).toBe(false);
  });
});
