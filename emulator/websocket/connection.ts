import type { Socket } from 'node:net';
import { log } from '../log.ts';
import type { TcpConnection, Transport } from '../tcp-connection.ts';
import { flushAtEndOfTurn, writingAlone, type TurnWriter } from '../end-of-turn.ts';
import { FrameReceiver, type FrameEvents } from './frame-receiver.ts';
import { encodeClose, encodeFrame, Opcode } from './frame-writer.ts';

const NO_PAYLOAD = Buffer.alloc(0);
// Bits of `state`: our Close is written; the peer has nothing more to say (its Close came, or it broke the
// protocol); the peer has not been heard from since the last ping (see beat()).
const SENT = 1;
const PEER_DONE = 2;
const CLOSING = SENT | PEER_DONE;
const QUIET = 4;

/** Several frames held in one turn, and their bytes: made only when a second frame joins the first. */
class HeldFrames {
  readonly frames: Buffer[];
  bytes: number;

  constructor(first: Buffer, second: Buffer) {
    this.frames = [first, second];
    this.bytes = first.length + second.length;
  }
}

function destroySocket(socket: Socket): void {
  socket.destroy();
}

// The last text message framed and its frame: a broadcast, or a push to several tabs, is framed once.
let lastMessage: string | undefined;
let lastFrame: Buffer | undefined;

function textFrame(message: string): Buffer {
  if (message !== lastMessage) {
    lastFrame = encodeFrame(Opcode.text, message);
    lastMessage = message;
  }
  return lastFrame!;
}

/**
 * An open WebSocket (after our 101): frames in through the receiver, frames out once per turn, joined into
 * one buffer (see end-of-turn.ts). A class with its methods on the prototype, not closures, because every
 * open connection holds one: what it costs is paid ten thousand times over.
 */
export class WebSocketTransport implements Transport, FrameEvents, TurnWriter {
  /** How long our own close waits for the peer's Close before it cuts TCP (RFC 6455 §7.1.1); also how long a closed socket may linger. */
  static closeWaitMs = 2000;
  private readonly connection: TcpConnection;
  // Parse state exists only while a frame or a fragmented message is in progress (or after the peer is done):
  // an idle connection, which most are most of the time, holds none.
  private receiver: FrameReceiver | undefined = undefined;
  // The closing handshake and the heartbeat, as bits: every field is paid per connection.
  private state = 0;
  // This turn's frames, not yet written: one buffer, or several to join. Held here rather than by corking the
  // socket: one plain write per turn skips the stream's cork bookkeeping and its writev path.
  private held: Buffer | HeldFrames | undefined = undefined;

  constructor(connection: TcpConnection) {
    this.connection = connection;
    // node:http's request timeouts are for requests; an open WebSocket lives as long as it is heard from.
    connection.socket.setTimeout(0);
  }

  // The connection's socket: read through it rather than kept twice, as every field is paid per connection.
  private get socket(): Socket {
    return this.connection.socket;
  }

  /** Builds the transport factory TcpConnection wants; `head` is what the client sent after its handshake. */
  static over(head: Buffer): (connection: TcpConnection) => Transport {
    return (connection) => {
      const transport = new WebSocketTransport(connection);
      if (head.length > 0) transport.receive(head);
      return transport;
    };
  }

  receive(chunk: Buffer): void {
    const receiver = this.receiver ?? new FrameReceiver(this.connection, this);
    receiver.push(chunk);
    this.receiver = receiver.idle() ? undefined : receiver;
  }

  encode(data: unknown): Buffer {
    return Buffer.isBuffer(data) ? encodeFrame(Opcode.binary, data) : textFrame(typeof data === 'string' ? data : String(data));
  }

  write(frame: Buffer): void {
    const held = this.held;
    if (held === undefined) {
      // A fan-out's one frame to a socket that holds nothing: nothing to join it with, so it leaves now.
      if (writingAlone()) return void (this.socket.destroyed || this.socket.write(frame));
      this.held = frame;
      flushAtEndOfTurn(this);
    } else if (held instanceof HeldFrames) {
      held.frames.push(frame);
      held.bytes += frame.length;
    } else this.held = new HeldFrames(held, frame);
  }

  /** Bytes written but not yet handed to the socket. */
  heldLength(): number {
    const held = this.held;
    return held === undefined ? 0 : held instanceof HeldFrames ? held.bytes : held.length;
  }

  /** Writes this turn's frames in one write (called at the end of the turn, and before a close). */
  flush(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    if (!this.socket.destroyed) this.socket.write(held instanceof HeldFrames ? Buffer.concat(held.frames, held.bytes) : held);
  }

  /**
   * Writes our Close after what this turn held. TCP ends once the peer's Close is in (at once when it came
   * first), or is cut when it has not come within `closeWaitMs`: a timer that exists only while closing.
   */
  close(code: number, reason: string): void {
    if ((this.state & SENT) === 0) {
      this.state |= SENT;
      this.write(code === 1005 ? encodeFrame(Opcode.close, NO_PAYLOAD) : encodeClose(code, reason));
    }
    this.flush();
    if ((this.state & PEER_DONE) !== 0) this.end();
    else setTimeout(destroySocket, WebSocketTransport.closeWaitMs, this.socket).unref();
  }

  // The closing handshake is over: the server ends TCP first (RFC 6455 §7.1.1), and cuts a peer that never ends its side.
  private end(): void {
    this.socket.end();
    setTimeout(destroySocket, WebSocketTransport.closeWaitMs, this.socket).unref();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** The heartbeat's turn: a peer not heard from since the last one is cut off at once; any other gets a ping. */
  beat(): void {
    if ((this.state & QUIET) !== 0) return void this.socket.destroy();
    this.state |= QUIET;
    if ((this.state & CLOSING) === 0) this.write(encodeFrame(Opcode.ping, NO_PAYLOAD));
  }

  onMessage(data: string | Buffer): void {
    this.state &= ~QUIET;
    if ((this.state & PEER_DONE) === 0) this.connection.deliver(data);
  }

  onPing(payload: Buffer): void {
    this.state &= ~QUIET;
    if ((this.state & CLOSING) === 0) this.write(encodeFrame(Opcode.pong, payload));
  }

  onPong(): void {
    this.state &= ~QUIET;
  }

  // Through the connection, so it is 'closing' at once: a push to a client that has begun to close is not
  // counted as delivered.
  // The peer's Close either answers ours (end TCP now) or begins the handshake (ours goes back, then TCP ends).
  onClose(code: number): void {
    this.state |= PEER_DONE;
    if ((this.state & SENT) !== 0) this.end();
    else this.connection.closeWithCode(code, '');
  }

  // Failing the connection (RFC 6455 §7.1.7): our Close says why, and no reply is awaited from a broken stream.
  onFail(code: number, reason: string): void {
    log(`websocket connection ${this.connection.id} closed: ${reason}`);
    this.state |= PEER_DONE;
    if ((this.state & SENT) !== 0) this.end();
    else this.connection.closeWithCode(code, reason);
  }
}
