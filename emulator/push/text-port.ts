import { Coalescer } from '../../src/coalesce.ts';
import { TextPushSession, type TextPushSessionOptions, type TextTarget } from '../../src/text/text-push-session.ts';
import type { TcpConnection } from '../tcp-connection.ts';
import { afterDeliveries } from '../end-of-turn.ts';
import type { Worker } from '../worker.ts';

/** How a text push port is served: where pushes go, the token, and the line limits. */
export interface TextPortOptions {
  /** Where pushes go; a function gives each connection a target of its own (the bridge: one upstream queue each). */
  target: TextTarget | (() => TextTarget);
  /** When set, a connection's first line must be this token. */
  token?: string;
  /** Longest line, without its `\n` or `\r\n`; a longer one closes that connection. */
  maxLineBytes: number;
  maxUidBytes: number;
  /** Longest ttl a push may ask for (MAX_TTL_SECONDS). */
  maxTtlSeconds?: number;
  /** Where group lines go, when not to the target itself (the push server's groups). */
  groups?: TextPushSessionOptions['groups'];
  /** Told, once per write of replies, how long those lines took from arrival to answer (the latency histogram). */
  observe?(seconds: number, lines: number): void;
}

/** Unsent reply bytes past which a connection's lines wait unread until the backend reads its replies. */
export const REPLY_BACKLOG_BYTES = 256 * 1024;
/** Lines waiting for an answer (another process, the edge) past which reading also waits. */
export const WAITING_LINES = 10_000;
// Room on top of the backlog bound, so a reply is never dropped: reading stops long before this fills.
const REPLY_BUFFER_BYTES = 64 * 1024 * 1024;

/**
 * Serves the text push port on `worker` (the push server's and the bridge's): one session per connection,
 * the replies of a tick joined into one write, and backpressure instead of loss: every line gets exactly one
 * reply, in order, and a backend that does not read its replies stops being read until it does.
 */
export function serveTextPort(worker: Worker, options: TextPortOptions): ServedTextPort {
  worker.onConnect = (connection) => {
    connection.maxPackageSize = options.maxLineBytes;
    connection.maxSendBufferSize = REPLY_BUFFER_BYTES;
    connection[SESSION] = new TextPortConnection(connection, options);
  };
  worker.onMessage = (connection, line) => (connection[SESSION] as TextPortConnection | undefined)?.line(String(line));
  // Says why before closing, after the answers to the lines before it.
  worker.onBadPacket = (connection) => (connection[SESSION] as TextPortConnection | undefined)?.end(`error line longer than ${options.maxLineBytes} bytes`);
  return {
    end() {
      for (const connection of worker.connections.values()) (connection[SESSION] as TextPortConnection | undefined)?.end();
      return new Promise((done) => {
        const deadline = Date.now() + END_WAIT_MS;
        const check = setInterval(() => {
          if (worker.connections.size > 0 && Date.now() < deadline) return;
          clearInterval(check);
          done();
        }, 10);
      });
    },
  };
}

/** A served text port. */
export interface ServedTextPort {
  /**
   * Ends every connection: each line already read gets its answer, then the connection closes. Resolves once the
   * backends have closed their side too, or after END_WAIT_MS. A backend resends what got no answer.
   */
  end(): Promise<void>;
}

// Backends close their side as soon as they read the end: this only bounds one that does not.
const END_WAIT_MS = 1000;

const SESSION = Symbol('pushport.textSession');
const FLUSHED = Buffer.alloc(0);

/** One text-port client: its session, its replies of this tick, and its flow control. */
class TextPortConnection {
  private readonly connection: TcpConnection;
  private readonly session: TextPushSession;
  // One write for every reply of this turn, after the turn's frames: a pipelined burst costs one syscall.
  private readonly replies = new Coalescer<string>((lines) => this.write(lines), afterDeliveries);
  // Characters of the replies not yet handed to the connection, for the backlog bound.
  private pendingChars = 0;
  // When the first line answered by the next write arrived (one clock read per write, not per line).
  private since = -1;
  private readonly observe: TextPortOptions['observe'];

  constructor(connection: TcpConnection, options: TextPortOptions) {
    this.connection = connection;
    this.observe = options.observe;
    this.session = new TextPushSession({
      target: typeof options.target === 'function' ? options.target() : options.target,
      token: options.token,
      maxUidBytes: options.maxUidBytes,
      maxTtlSeconds: options.maxTtlSeconds,
      groups: options.groups,
      reply: (text) => this.reply(text),
      // After the replies already queued for this turn.
      close: () => afterDeliveries(() => connection.close()),
      settled: () => this.maybeResume(),
    });
  }

  line(text: string): void {
    if (this.since < 0 && this.observe) this.since = performance.now();
    this.session.line(text);
    if (this.owedBytes() > REPLY_BACKLOG_BYTES || this.session.waiting > WAITING_LINES) this.connection.pauseRecv();
  }

  /**
   * Answers every line read so far, then writes `reply` (if any) and closes; later lines get no answer. Reading
   * goes on (their bytes are dropped) until the backend closes too: closing with unread input would reset the
   * connection, and a reset can lose the last answers on their way.
   */
  end(reply?: string): void {
    this.session.end(reply);
    if (this.connection.paused) this.connection.resumeRecv();
  }

  /** Reads again once the backlog is under half its bound (or gone), so a slow backend is not flapped. */
  maybeResume(): void {
    if (!this.connection.paused) return;
    if (this.owedBytes() > REPLY_BACKLOG_BYTES / 2 || this.session.waiting > WAITING_LINES / 2) return;
    this.connection.resumeRecv();
  }

  private owedBytes(): number {
    return this.connection.getSendBufferQueueSize() + this.pendingChars;
  }

  private reply(text: string): void {
    this.pendingChars += text.length + 1;
    this.replies.add(text);
  }

  private write(lines: string[]): void {
    this.pendingChars = 0;
    this.connection.send(`${lines.join('\n')}\n`, true);
    if (this.observe && this.since >= 0) {
      this.observe((performance.now() - this.since) / 1000, lines.length);
      this.since = -1;
    }
    // Reading stopped for this backlog: look again once the socket has handed it all to the kernel.
    if (this.connection.paused) this.connection.socket.write(FLUSHED, () => this.maybeResume());
  }
}
