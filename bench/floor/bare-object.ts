import { DurableObject } from 'cloudflare:workers';

/**
 * The least a Durable Object can do for each of pushport's calls: answer a method, count a batch's lines or send
 * each of them, hold hibernatable WebSockets and send one text to all of them. What pushport does above this is
 * its own cost.
 */
export class BareObject extends DurableObject {
  private sockets: WebSocket[] = [];

  /** A method call that does nothing: the floor of one Worker-to-object call. */
  ping(): number {
    return 1;
  }

  /** Takes a batch's lines and answers how many: the floor of `/push/batch` without any send. */
  take(lines: string[]): number {
    return lines.length;
  }

  /**
   * Sends each line to one socket held here, in turn: the floor of `/push/batch` with its sends (a line in, a frame
   * out, nothing else), against which bench:edge reads pushport's share of a push's CPU.
   */
  sendEach(lines: string[]): number {
    // Held in memory as pushport's registry holds its sockets; read from the runtime again only after a wake-up.
    if (this.sockets.length === 0) this.sockets = this.ctx.getWebSockets();
    const sockets = this.sockets;
    if (sockets.length === 0) return 0;
    for (let i = 0; i < lines.length; i++) sockets[i % sockets.length]!.send(lines[i]!);
    return lines.length;
  }

  /** Sends one text to every socket held here: the floor of a broadcast. */
  broadcast(message: string): number {
    const sockets = this.ctx.getWebSockets();
    for (const ws of sockets) ws.send(message);
    return sockets.length;
  }

  /** Accepts a WebSocket the way pushport does (hibernatable), with nothing stored about it. */
  override fetch(): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    if (this.sockets.length > 0) this.sockets.push(server);
    return new Response(null, { status: 101, webSocket: client });
  }
}
