import { MemoryRegistry } from '../src/index.ts';
import { EdgeSocket, type SocketAttachment } from './edge-socket.ts';

/**
 * The uid registry of a hibernating Durable Object: kept in memory while awake, with each socket's id and
 * uid in its attachment, and rebuilt from `getWebSockets()` when the object wakes.
 */
export class HibernatingRegistry extends MemoryRegistry<EdgeSocket> {
  private readonly wrappers = new WeakMap<WebSocket, EdgeSocket>();

  constructor(ctx: DurableObjectState) {
    super();
    for (const ws of ctx.getWebSockets()) {
      const attachment = ws.deserializeAttachment() as SocketAttachment | null;
      const socket = this.socketOf(ws);
      super.add(socket);
      if (attachment?.uid !== undefined) super.bind(socket, attachment.uid);
    }
  }

  /** A socket just accepted: give it an id that outlives hibernation. */
  accept(ws: WebSocket): EdgeSocket {
    const socket = new EdgeSocket(ws, crypto.randomUUID());
    socket.remember({ id: socket.id, since: Date.now() });
    this.wrappers.set(ws, socket);
    return socket;
  }

  /** The hub's socket for a runtime WebSocket, found by its attachment after a wake-up. */
  socketOf(ws: WebSocket): EdgeSocket {
    let socket = this.wrappers.get(ws);
    if (!socket) {
      const attachment = ws.deserializeAttachment() as SocketAttachment | null;
      socket = attachment ? new EdgeSocket(ws, attachment.id) : this.accept(ws);
      this.wrappers.set(ws, socket);
    }
    return socket;
  }

  override bind(socket: EdgeSocket, uid: string): void {
    super.bind(socket, uid);
    const since = (socket.ws.deserializeAttachment() as SocketAttachment | null)?.since ?? Date.now();
    socket.remember({ id: socket.id, uid, since });
  }
}
