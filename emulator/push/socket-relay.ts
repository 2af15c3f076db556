import { existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { FrameReader } from '../../src/relay/frame-reader.ts';
import { encodeFrames, frame, FrameType, type RelayFrame } from '../../src/relay/relay-frame.ts';
import type { RelayLinks } from '../../src/relay/peer-outbox.ts';
import type { RelayNode } from '../../src/relay/relay-node.ts';
import { afterDeliveries } from '../end-of-turn.ts';
import { describeError, log } from '../log.ts';

/** Where one process of the push server finds its peers. */
export interface SocketRelayOptions {
  /** This process's index among the server's processes. */
  self: number;
  count: number;
  /** The unix socket path of process `index`. */
  pathOf(index: number): string;
  /** How long a peer may take to answer before it is counted as absent (given up after one to two periods). */
  timeoutMs?: number;
  /** How soon to try again a peer that could not be reached (starting, or restarting). */
  retryMs?: number;
}

/** Calls `handle` with the frames each chunk completes; a corrupt stream closes the socket. */
function onFrames(socket: Socket, handle: (frames: RelayFrame[]) => void): void {
  const reader = new FrameReader();
  socket.on('data', (chunk: Buffer) => {
    let frames: RelayFrame[];
    try {
      frames = reader.read(chunk);
    } catch {
      return void socket.destroy();
    }
    handle(frames);
  });
}

function write(socket: Socket | undefined, bytes: Uint8Array): boolean {
  if (!socket || socket.destroyed) return false;
  socket.write(bytes);
  return true;
}

/**
 * How a push reaches the processes that hold its uid, and how a uid that has just identified in another
 * process is never answered `fail`: see src/relay/relay-node.ts.
 *
 * The links between the push server's processes: each process listens on its own unix socket and keeps
 * one connection to every peer, on which it sends its requests and presence (length-prefixed binary frames,
 * see relay-frame.ts) and gets the answers back. A connection starts with a hello naming the sender.
 * A lost peer is retried until it is back, and then told again every uid this process holds.
 */
export class SocketRelay implements RelayLinks {
  /** This process's index. */
  readonly self: number;
  /** How many processes the server has. */
  readonly count: number;
  /**
   * Relay frames go out after the turn's WebSocket frames: an answer counting a delivery leaves only once the
   * frame has been written, so a process killed between the two cannot have a peer answer `ok` for a frame it
   * still held.
   */
  readonly schedule = afterDeliveries;
  private readonly options: SocketRelayOptions;
  private node: RelayNode | undefined;
  private server: Server | undefined;
  private boundInode: number | undefined;
  private readonly accepted = new Set<Socket>();
  private readonly outbound: (Socket | undefined)[] = [];
  private readonly inbound: (Socket | undefined)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly retries: (NodeJS.Timeout | undefined)[] = [];
  // Which process said hello last in each slot: a new one there (a reload) means our link reaches its predecessor.
  private readonly peerIncarnations: (number | undefined)[] = [];
  /** This process among all that held its slot: sent in the hello, so a peer can tell a successor from a new link. */
  private readonly incarnation = Math.floor(Math.random() * 0xfffffffe) + 1;
  private closed = false;

  constructor(options: SocketRelayOptions) {
    this.options = options;
    this.self = options.self;
    this.count = options.count;
  }

  /**
   * Listens, then connects to every peer: a peer that gets this process's hello knows it can connect back
   * at once, rather than when its next retry comes.
   */
  async listen(node: RelayNode): Promise<void> {
    this.node = node;
    const path = this.options.pathOf(this.self);
    // Bound under a name of our own, then renamed into place: a process being replaced (reload) unlinks the
    // name it bound when it closes, which must not take its successor's socket away. The rename also
    // replaces a file left by a killed process.
    const own = `${path}.${process.pid}`;
    if (existsSync(own)) unlinkSync(own);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(own, () => resolve());
    });
    renameSync(own, path);
    this.boundInode = statSync(path).ino;
    for (let peer = 0; peer < this.count; peer++) if (peer !== this.self && !this.outbound[peer]) this.connect(peer);
    const expiry = setInterval(() => node.expire(), this.options.timeoutMs ?? 2000);
    expiry.unref();
    this.timers.add(expiry);
  }

  send(peer: number, bytes: Uint8Array): boolean {
    // A link that is not made yet, and not waiting for a retry after a failure, is made now (this process has
    // just started, or its peer was just replaced): the frames wait in the socket until it connects, and their
    // requests fail with it if it cannot. Answering them at once would say `fail` for a uid that is online.
    if (!this.outbound[peer] && !this.retries[peer]) this.connect(peer);
    return write(this.outbound[peer], bytes);
  }

  reply(peer: number, bytes: Uint8Array): boolean {
    return write(this.inbound[peer], bytes);
  }

  /** Whether this process's link to a peer is up. */
  connected(peer: number): boolean {
    return this.outbound[peer]?.readyState === 'open';
  }

  /** Stops listening and drops every link. */
  close(): void {
    this.closed = true;
    this.server?.close();
    for (const timer of this.timers) clearTimeout(timer);
    // Remove the socket file only while it is still ours, not a successor's.
    const path = this.options.pathOf(this.self);
    try {
      if (this.boundInode !== undefined && statSync(path).ino === this.boundInode) unlinkSync(path);
    } catch {
      // Already gone.
    }
    for (const socket of this.accepted) socket.destroy();
    for (const socket of this.outbound) socket?.destroy();
  }

  private accept(socket: Socket): void {
    this.accepted.add(socket);
    let from = -1;
    onFrames(socket, (frames) => {
      for (const f of frames) {
        if (from >= 0) {
          // A process being replaced (reload) still talks on its old link: its "left"s must not undo
          // what its successor, which has the same index, announced.
          if (this.inbound[from] !== socket) return;
          this.receive(from, f);
          continue;
        }
        if (f.type !== FrameType.hello || f.value >= this.count || f.value === this.self) return void socket.destroy();
        from = f.value;
        const known = this.peerIncarnations[from];
        this.peerIncarnations[from] = f.id;
        const previous = this.inbound[from];
        this.inbound[from] = socket;
        // A new hello is a new process (or a new link): what the directory knew of the old one is stale.
        this.node!.peerReset(from);
        previous?.destroy();
        // It is listening now: link back to it without waiting for the retry. A successor in a known slot (a
        // reload) gets a new link at once: ours still reaches the process it replaces, which no longer holds
        // the slot's clients, and pushes to them would be answered `fail` until that process is gone.
        const stale = known !== undefined && known !== f.id ? this.outbound[from] : undefined;
        if (!this.outbound[from] || stale) {
          this.connect(from);
          stale?.destroy();
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.accepted.delete(socket);
      if (from >= 0 && this.inbound[from] === socket) {
        this.inbound[from] = undefined;
        this.node!.peerReset(from);
      }
    });
  }

  // A frame that trips a bug is logged and dropped: one bad frame must not take the process down.
  private receive(from: number, f: RelayFrame): void {
    try {
      this.node!.receive(from, f);
    } catch (error) {
      log(`relay: a frame from process ${from} failed: ${describeError(error)}`);
    }
  }

  private connect(peer: number): void {
    if (this.closed || !this.node) return;
    const waiting = this.retries[peer];
    if (waiting) {
      clearTimeout(waiting);
      this.timers.delete(waiting);
      this.retries[peer] = undefined;
    }
    const socket = createConnection(this.options.pathOf(peer));
    this.outbound[peer] = socket;
    // Written before the connection is up; node buffers it, and it stays ahead of every other frame.
    socket.write(encodeFrames([frame(FrameType.hello, this.incarnation, this.self)]));
    this.node!.linkUp(peer);
    // The peer answers our requests on this same connection.
    onFrames(socket, (frames) => {
      for (const f of frames) if (f.type === FrameType.answer) this.receive(peer, f);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (this.outbound[peer] !== socket) return;
      this.outbound[peer] = undefined;
      this.node!.linkDown(peer);
      if (this.closed) return;
      const retry = setTimeout(() => {
        this.timers.delete(retry);
        this.connect(peer);
      }, this.options.retryMs ?? 100);
      retry.unref();
      this.timers.add(retry);
      this.retries[peer] = retry;
    });
  }
}
