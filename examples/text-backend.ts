// A backend that pushes through the text port and rides through a `reload` or a restart: it keeps one connection,
// pipelines its lines, and when the connection closes, reconnects and sends again every line that got no reply.
// On a reload every line the server read gets its reply before the close, so a line with no reply was not
// pushed: sending it again pushes it once. (After a crash a line may have been pushed without its reply
// reaching you: give pushes an "id" to make the resend harmless.)
// Run: node examples/text-backend.ts [text port]
import { connect, type Socket } from 'node:net';

/** One text-port connection that reconnects and resends, in order, what was not answered. */
export class TextBackend {
  private socket: Socket;
  private readonly waiting: Array<{ line: string; done: (reply: string) => void }> = [];
  private buffered = '';
  private ended = false;
  private readonly port: number;

  constructor(port: number) {
    this.port = port;
    this.socket = this.open();
  }

  /** Pushes one message (an object with its uid); resolves with the reply: ok, fail, queued or error …. */
  push(message: object): Promise<string> {
    return new Promise((done) => {
      const line = `${JSON.stringify(message)}\n`;
      this.waiting.push({ line, done });
      if (this.socket.writable) this.socket.write(line);
    });
  }

  /** Closes the connection for good. */
  close(): void {
    this.ended = true;
    this.socket.end();
  }

  private open(): Socket {
    const socket = connect(this.port, '127.0.0.1');
    this.buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      for (let end = this.buffered.indexOf('\n'); end !== -1; end = this.buffered.indexOf('\n')) {
        const reply = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end + 1);
        this.waiting.shift()?.done(reply);
      }
    });
    // A refused or reset connection ends in 'close' too, which reconnects.
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.ended) return;
      setTimeout(() => {
        this.socket = this.open();
        for (const { line } of this.waiting) this.socket.write(line);
      }, 100);
    });
    return socket;
  }
}

if (import.meta.main) {
  const backend = new TextBackend(Number(process.argv[2] ?? 5678));
  console.log(await backend.push({ uid: 'uid1', percent: '88%' }));
  backend.close();
}
