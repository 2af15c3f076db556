import { connect, type Socket } from 'node:net';
import { onCleanup } from './cleanup.ts';

/** One text-port reply: `ok`, `fail`, or an `error …` line as the server wrote it. */
export type Reply = 'ok' | 'fail' | (string & {});
const [NL, O, F, E] = [10, 111, 102, 101];

/** A text-port connection as a backend holds one: write push lines, get one reply line each, in order. */
export class TextClient {
  private readonly socket: Socket;
  // The first byte of the reply being read (0: at a line start), and its text when it is an error.
  private lineStart = 0;
  private errorText = '';
  private readonly unregister: () => void;
  /** Called with each reply: `ok`, `fail`, or the whole `error …` line. */
  onReply: (reply: Reply) => void = () => {};
  /** Called once the replies of one read are all handed to onReply: the moment to write more in one go. */
  onReplies: () => void = () => {};
  /** Set once the server closed it or it failed; no more replies will come. */
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.unregister = onCleanup(() => this.close());
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => (this.closed = true));
  }

  /** Connects to the text port on 127.0.0.1. */
  static open(port: number, timeoutMs = 10_000): Promise<TextClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const timer = setTimeout(() => socket.destroy(new Error(`text port ${port}: no connection in ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new TextClient(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      // After connect an error only closes it; the scenario sees `closed` and its deadline.
      socket.on('error', () => {});
    });
  }

  /** Writes raw text; lines carry their own newlines, so several can go in one write. */
  write(text: string): void {
    if (!this.closed) this.socket.write(text);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
    this.unregister();
  }

  // Thousands of replies arrive per chunk under pipelining: only the first byte of each tells ok from fail,
  // so the load client reads no strings unless a reply is an error.
  private receive(chunk: Buffer): void {
    let any = false;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.lineStart === 0) this.lineStart = c;
      if (this.lineStart === E && c !== NL) this.errorText += String.fromCharCode(c);
      if (c !== NL) continue;
      const first = this.lineStart;
      this.lineStart = 0;
      any = true;
      if (first === O) this.onReply('ok');
      else if (first === F) this.onReply('fail');
      else {
        this.onReply(this.errorText.trim() || 'error (empty reply)');
        this.errorText = '';
      }
    }
    if (any) this.onReplies();
  }
}
