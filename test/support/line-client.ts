import { connect, type Socket } from 'node:net';
import { POLL_TIMEOUT_MS, waitFor } from './poll.ts';

/**
 * The suite's one raw TCP client for text ports (like the reference's PHP backend): writes text, keeps every
 * byte it receives, and reads them back as reply lines or as raw bytes for the binary protocols' tests.
 */
export class LineClient {
  readonly socket: Socket;
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  readonly #chunks: Buffer[] = [];
  /** How many complete lines `read()` has handed out. */
  #linesRead = 0;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
    // A reset from the server is one of the things tests provoke; `closed` reports it.
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Connects to host:port (loopback by default) and resolves once connected. */
  static open(port: number, host = '127.0.0.1'): Promise<LineClient> {
    const socket = connect(port, host);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one line on a fresh connection and resolves with the first reply line (5 s at most). */
  static async request(port: number, line: string): Promise<string> {
    const client = await LineClient.open(port);
    try {
      client.write(`${line}\n`);
      const [reply] = await Promise.race([client.read(1), client.closed.then(() => {
        throw new Error(`closed before a reply (got ${JSON.stringify(client.text())})`);
      })]);
      return reply!;
    } finally {
      client.close();
    }
  }

  /** Writes raw text; lines carry their own newlines. */
  write(text: string | Uint8Array): void {
    this.socket.write(text);
  }

  /** Everything received so far. */
  received(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** Everything received so far, as UTF-8. */
  text(): string {
    return this.received().toString('utf8');
  }

  /** Waits until the received text contains `expected`, and returns all of it. */
  waitForText(expected: string): Promise<string> {
    return waitFor(() => (this.text().includes(expected) ? this.text() : ''), `${JSON.stringify(expected)} from the server`);
  }

  /** Waits for the next `n` complete reply lines (without their newlines); 5 s unless a load test allows more. */
  async read(n = 1, timeoutMs = POLL_TIMEOUT_MS): Promise<string[]> {
    const lines = () => this.text().split('\n').slice(this.#linesRead, -1);
    const next = await waitFor(() => (lines().length >= n ? lines().slice(0, n) : null), `${n} more line(s) from the server`, timeoutMs);
    this.#linesRead += n;
    return next;
  }

  close(): void {
    this.socket.destroy();
  }
}
