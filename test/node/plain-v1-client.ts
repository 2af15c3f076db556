import WebSocket from 'ws';

/**
 * A pushport.v1 client written against the wire contract alone, not pushport/client: it reads `<seq> <message>`
 * frames, and after any close reconnects with `?since=` its last seq. It keeps every frame as it came, so a test
 * can see a seq that went back or came twice (it never drops one).
 */
export class PlainV1Client {
  /** Every message received, in order. */
  readonly messages: string[] = [];
  /** Every seq received, in order (a correct server only ever sends them increasing). */
  readonly seqs: number[] = [];
  /** Close codes seen. */
  readonly closes: number[] = [];
  open = false;
  private lastSeq = 0;
  private stopped = false;
  private ws: WebSocket | undefined;
  private readonly url: string;
  private readonly uid: string;

  /** `url` is the server's ws:// origin. */
  constructor(url: string, uid: string) {
    this.url = url;
    this.uid = uid;
    this.connect();
  }

  /** Closes for good. */
  close(): void {
    this.stopped = true;
    this.ws?.close(1000);
  }

  private connect(): void {
    const since = this.lastSeq > 0 ? `&since=${this.lastSeq}` : '';
    const ws = new WebSocket(`${this.url}/ws?uid=${encodeURIComponent(this.uid)}${since}`, 'pushport.v1');
    this.ws = ws;
    ws.on('open', () => (this.open = true));
    ws.on('message', (data) => {
      const frame = String(data);
      const space = frame.indexOf(' ');
      const seq = Number(frame.slice(0, space));
      this.seqs.push(seq);
      if (seq > this.lastSeq) this.lastSeq = seq;
      this.messages.push(frame.slice(space + 1));
    });
    ws.on('error', () => {});
    ws.on('close', (code) => {
      this.open = false;
      this.closes.push(code);
      // Bounded by the test's life: it stops once closed for good.
      if (!this.stopped) setTimeout(() => this.connect(), 100 + Math.floor(Math.random() * 300));
    });
  }
}
