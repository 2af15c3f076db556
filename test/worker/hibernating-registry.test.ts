import { describe, expect, it } from 'vitest';
import type { SocketAttachment } from '../../worker/edge-socket.ts';
import { HibernatingRegistry } from '../../worker/hibernating-registry.ts';

// A runtime WebSocket as the registry sees it after a wake-up: an attachment, and how often it was read.
class SleptSocket {
  reads = 0;
  readyState = 1;
  sent: string[] = [];
  attachment: SocketAttachment | null;
  constructor(attachment: SocketAttachment | null) {
    this.attachment = attachment;
  }
  deserializeAttachment(): SocketAttachment | null {
    this.reads++;
    return this.attachment;
  }
  serializeAttachment(value: SocketAttachment): void {
    this.attachment = value;
  }
  send(message: string): void {
    this.sent.push(message);
  }
}

function wake(attachments: Array<SocketAttachment | null>): { registry: HibernatingRegistry; sockets: SleptSocket[] } {
  const sockets = attachments.map((a) => new SleptSocket(a));
  const state = { getWebSockets: () => sockets as unknown as WebSocket[] } as unknown as DurableObjectState;
  return { registry: new HibernatingRegistry(state), sockets };
}

const slept = (id: string, uid?: string): SocketAttachment => ({ id, uid, since: 0 });

describe('hibernating registry after a wake-up', () => {
  it('reads no attachment until something needs one', () => {
    const { sockets } = wake([slept('a', 'u'), slept('b', 'v')]);
    expect(sockets.map((s) => s.reads)).toEqual([0, 0]);
  });

  it('closes one socket reading only its own attachment, and the rebuild leaves it out', () => {
    const { registry, sockets } = wake([slept('a', 'u'), slept('b', 'u'), slept('c', 'v')]);
    const closing = registry.socketOf(sockets[0] as unknown as WebSocket);
    expect(registry.remove(closing)).toBe('u');
    expect(registry.uidOf(closing)).toBeUndefined();
    expect(sockets[1]!.reads + sockets[2]!.reads).toBe(0);
    expect([...registry.socketsOf('u')].map((s) => s.id)).toEqual(['b']);
    expect(registry.counts()).toEqual({ connections: 2, identified: 2, uids: 2 });
  });

  it('answers a message from an identified socket without reading the others', () => {
    const { registry, sockets } = wake([slept('a', 'u'), slept('b', 'v'), null]);
    expect(registry.uidOf(registry.socketOf(sockets[1] as unknown as WebSocket))).toBe('v');
    expect(sockets[0]!.reads + sockets[2]!.reads).toBe(0);
  });

  it('rebuilds every socket, with sockets added before the rebuild, for a push or the counts', () => {
    const { registry, sockets } = wake([slept('a', 'u'), slept('b')]);
    const fresh = registry.accept(new SleptSocket(null) as unknown as WebSocket);
    registry.add(fresh);
    expect(registry.uidOf(fresh)).toBeUndefined();
    registry.bind(fresh, 'u');
    expect([...registry.socketsOf('u')].map((s) => s.id)).toEqual(['a', fresh.id]);
    expect(registry.counts()).toEqual({ connections: 3, identified: 2, uids: 1 });
    expect(sockets.every((s) => s.reads > 0)).toBe(true);
    expect((fresh.ws as unknown as SleptSocket).attachment?.uid).toBe('u');
  });

  it('rebuilds before a broadcast walks the sets of every uid', () => {
    const { registry, sockets } = wake([slept('a', 'u'), slept('b', 'v'), slept('c', 'u'), null]);
    expect([...registry.identifiedSets()].map((set) => [...set].map((s) => s.id))).toEqual([['a', 'c'], ['b']]);
    expect(sockets.every((s) => s.reads > 0)).toBe(true);
  });
});
