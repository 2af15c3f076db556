import { MemoryRegistry, type RegistryCounts } from '../src/index.ts';
import { EdgeSocket, type SocketAttachment } from './edge-socket.ts';

/**
 * The uid registry of a hibernating Durable Object: kept in memory while awake, with each socket's id, uid
 * and protocol in its attachment. After a wake-up the maps are rebuilt from `getWebSockets()` only when an operation
 * needs them (a push, an identify, the counts): a wake for one socket's message or close reads that socket's
 * attachment alone.
 */
export class HibernatingRegistry extends MemoryRegistry<EdgeSocket> {
  private readonly wrappers = new WeakMap<WebSocket, EdgeSocket>();
  // Set until the maps are rebuilt after a wake-up: the state whose sockets they must be rebuilt from.
  private asleepIn: DurableObjectState | undefined;
  // Changes made before the rebuild, which it must honour: sockets added and sockets already gone.
  private readonly addedEarly: EdgeSocket[] = [];
  private readonly removedEarly = new WeakSet<WebSocket>();

  constructor(ctx: DurableObjectState) {
    super();
    this.asleepIn = ctx;
  }

  /**
   * A socket just accepted: give it an id that outlives hibernation, and keep whether it speaks pushport.v1
   * and where it resumes.
   */
  accept(ws: WebSocket, v1 = false, resumeAfter?: number): EdgeSocket {
    const attachment: SocketAttachment = { id: crypto.randomUUID(), since: Date.now(), v1 };
    if (resumeAfter !== undefined) attachment.resumeAfter = resumeAfter;
    const socket = new EdgeSocket(ws, attachment);
    socket.remember();
    this.wrappers.set(ws, socket);
    return socket;
  }

  /** The hub's socket for a runtime WebSocket, found by its attachment after a wake-up. */
  socketOf(ws: WebSocket): EdgeSocket {
    return this.wrappers.get(ws) ?? this.wrap(ws, attachmentOf(ws));
  }

  override add(socket: EdgeSocket): void {
    if (this.asleepIn) this.addedEarly.push(socket);
    else super.add(socket);
  }

  override bind(socket: EdgeSocket, uid: string): void {
    this.rebuild();
    super.bind(socket, uid);
    socket.remember(uid);
  }

  override remove(socket: EdgeSocket): string | undefined {
    if (!this.asleepIn) return super.remove(socket);
    // Not rebuilt yet: the socket's own attachment knows its uid, and the rebuild will skip it.
    this.removedEarly.add(socket.ws);
    return attachmentOf(socket.ws)?.uid;
  }

  override uidOf(socket: EdgeSocket): string | undefined {
    if (!this.asleepIn) return super.uidOf(socket);
    return this.removedEarly.has(socket.ws) ? undefined : attachmentOf(socket.ws)?.uid;
  }

  override socketsOf(uid: string): readonly EdgeSocket[] {
    this.rebuild();
    return super.socketsOf(uid);
  }

  override identified(): Iterable<EdgeSocket> {
    this.rebuild();
    return super.identified();
  }

  override identifiedSets(): Iterable<readonly EdgeSocket[]> {
    this.rebuild();
    return super.identifiedSets();
  }

  override uids(): Iterable<string> {
    this.rebuild();
    return super.uids();
  }

  override counts(): RegistryCounts {
    this.rebuild();
    return super.counts();
  }

  private wrap(ws: WebSocket, attachment: SocketAttachment | null): EdgeSocket {
    const socket = attachment ? new EdgeSocket(ws, attachment) : this.accept(ws);
    this.wrappers.set(ws, socket);
    return socket;
  }

  // Once per wake: every socket the runtime still holds, with the uid its attachment carries.
  private rebuild(): void {
    const ctx = this.asleepIn;
    if (!ctx) return;
    this.asleepIn = undefined;
    for (const ws of ctx.getWebSockets()) {
      if (this.removedEarly.has(ws)) continue;
      const attachment = attachmentOf(ws);
      const socket = this.wrappers.get(ws) ?? this.wrap(ws, attachment);
      super.add(socket);
      if (attachment?.uid !== undefined) super.bind(socket, attachment.uid);
    }
    for (const socket of this.addedEarly) if (!this.removedEarly.has(socket.ws)) super.add(socket);
    this.addedEarly.length = 0;
  }
}

function attachmentOf(ws: WebSocket): SocketAttachment | null {
  return ws.deserializeAttachment() as SocketAttachment | null;
}
