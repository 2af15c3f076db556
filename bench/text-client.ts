import { connect, type Socket } from 'node:net';
import { onCleanup } from './cleanup.ts';

/** A text-port connection as a backend holds one: write push lines, get one reply line each, in order. */
export class TextClient {
  private readonly socket: Socket;
  private buffer = '';
  private readonly unregister: () => void;
  /** Called with each reply line (`ok`, `fail`, `error …`), without its newline. */
  onReply: (line: string) => void = () => {};
  /** Called once the replies of one read are all handed to onReply: the moment to write more in one go. */
  onReplies: () => void = () => {};
  /** Set once the server closed it or it failed; no more replies will come. */
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.unregister = onCleanup(() => this.close());
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
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

  private receive(chunk: string): void {
    this.buffer += chunk;
    let start = 0;
    let end: number;
    // Many replies arrive per chunk under pipelining: walk them without re-slicing the buffer each time.
    while ((end = this.buffer.indexOf('\n', start)) >= 0) {
      this.onReply(this.buffer.slice(start, end));
      start = end + 1;
    }
    this.buffer = this.buffer.slice(start);
    if (start > 0) this.onReplies();
  }
}
