import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { onCleanup } from './cleanup.ts';
import type { Deadline } from './deadline.ts';
import { FrameParser, maskedFrame } from './ws-frame-parser.ts';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const PING = 0x9;
const PONG = 0xa;
// Handshakes in flight at once: more only overflows the listen backlog, and a dropped SYN costs a 1 s retry.
const CONNECT_CONCURRENCY = 128;
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** The subprotocol of clients that get `<seq> <message>` frames. */
export const V1_PROTOCOL = 'pushport.v1';

/**
 * How a client names its uid: as its first message (the reference's browser client), in the URL (`/?uid=`, as
 * the edge allows), or in the URL while asking for pushport.v1, so every push to it is stored and seq-numbered.
 */
export type PoolMode = 'first-message' | 'query' | 'v1';

/** Called with each message a client receives; `payload` is valid only during the call. */
export type MessageHandler = (client: number, payload: Buffer, arrivedAt: number) => void;

/**
 * N WebSocket clients on raw sockets, client i identified as `u<first + i>`: each does its own handshake and
 * frame parsing, so thousands of them cost this process little more than their socket reads.
 */
export class RawWsPool {
  private readonly sockets: Socket[] = [];
  /** Where messages go; swapped by each scenario. */
  onMessage: MessageHandler = () => {};
  /** Sockets the server closed or that failed while the bench still wanted them. */
  dropped = 0;
  /** Handshakes that failed or timed out, with the first reason. */
  failed = 0;
  firstError: string | undefined;
  /** pushport.v1 only: messages whose seq was not the client's previous one + 1 (a stored push skipped). */
  seqGaps = 0;
  /** pushport.v1 only: messages with seq 0 (delivered but not stored) or with no seq at all. */
  unstored = 0;
  unsequenced = 0;
  // pushport.v1 only: the last seq each client got (0: none yet).
  private readonly lastSeq: Float64Array;
  private closing = false;
  private readonly unregister: () => void;

  /** Clients in the pool. */
  readonly size: number;
  /** Client i is `u<first + i>`. */
  readonly first: number;

  /** How its clients identify. */
  readonly mode: PoolMode;

  private readonly path: string;
  // Every client's uid when they all share one (the tabs of one user); else client i is u<first + i>.
  private readonly sharedUid: string | undefined;

  private constructor(size: number, first: number, mode: PoolMode, path: string, sharedUid: string | undefined) {
    this.path = path;
    this.sharedUid = sharedUid;
    this.size = size;
    this.first = first;
    this.mode = mode;
    this.lastSeq = new Float64Array(mode === 'v1' ? size : 0);
    this.unregister = onCleanup(() => this.close());
  }

  /** Opens `size` clients (bounded concurrency) on `path`, identifying as `mode` says, all as `sharedUid` if given. */
  static async open(port: number, size: number, first: number, deadline: Deadline, mode: PoolMode = 'first-message', path = '/', sharedUid?: string): Promise<RawWsPool> {
    const pool = new RawWsPool(size, first, mode, path, sharedUid);
    let next = 0;
    const opener = async () => {
      while (next < size && !deadline.passed()) await pool.openOne(port, next++);
    };
    await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, size) }, opener));
    return pool;
  }

  /** Clients whose handshake succeeded and that are still open. */
  get open(): number {
    return this.sockets.length - this.failed - this.dropped;
  }

  /** Destroys every socket at once (no close handshake to wait for). */
  close(): void {
    this.closing = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.length = 0;
    this.unregister();
  }

  // A stored push's seq is the client's previous one + 1; 0 means delivered but not stored.
  private checkSeq(index: number, seq: number): void {
    if (seq < 0) return void this.unsequenced++;
    if (seq === 0) return void this.unstored++;
    const last = this.lastSeq[index]!;
    if (last > 0 && seq !== last + 1) this.seqGaps++;
    this.lastSeq[index] = seq;
  }

  private openOne(port: number, index: number): Promise<void> {
    return new Promise((resolve) => {
      const key = randomBytes(16).toString('base64');
      const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      this.sockets.push(socket);
      let state: 'handshake' | 'open' | 'failed' = 'handshake';
      let head = Buffer.alloc(0);
      const fail = (reason: string) => {
        if (state !== 'handshake') return;
        state = 'failed';
        this.failed++;
        this.firstError ??= reason;
        socket.destroy();
        resolve();
      };
      const timer = setTimeout(() => fail(`no upgrade within ${HANDSHAKE_TIMEOUT_MS} ms`), HANDSHAKE_TIMEOUT_MS);
      const v1 = this.mode === 'v1';
      const parser = new FrameParser({
        onMessage: (payload, _binary, seq) => {
          if (v1) this.checkSeq(index, seq);
          this.onMessage(index, payload, performance.now());
        },
        // Answering the server's heartbeat keeps the client from being dropped mid-run.
        onControl: (opcode, payload) => {
          if (opcode === PING) socket.write(maskedFrame(PONG, payload));
        },
      }, v1);
      const uid = this.sharedUid ?? `u${this.first + index}`;
      const query = this.mode === 'first-message' ? '' : `?uid=${uid}`;
      socket.on('connect', () => {
        socket.write(`GET ${this.path}${query} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
          + `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${v1 ? `Sec-WebSocket-Protocol: ${V1_PROTOCOL}\r\n` : ''}\r\n`);
      });
      socket.on('data', (chunk: Buffer) => {
        if (state === 'open') return parser.push(chunk);
        if (state === 'failed') return;
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const response = head.toString('latin1', 0, end);
        if (!/^HTTP\/1\.1 101/.test(response)) return fail(`upgrade answered ${response.split('\r\n')[0]}`);
        if (!response.includes(accept)) return fail('upgrade answered a wrong Sec-WebSocket-Accept');
        if (v1 && !/\r\nSec-WebSocket-Protocol: *pushport\.v1\r?$/im.test(`${response}\r\n`)) return fail(`the upgrade did not choose ${V1_PROTOCOL}`);
        state = 'open';
        clearTimeout(timer);
        if (this.mode === 'first-message') socket.write(maskedFrame(1, Buffer.from(uid)));
        if (head.length > end + 4) parser.push(head.subarray(end + 4));
        resolve();
      });
      socket.on('error', (error) => fail(error.message));
      socket.on('close', () => {
        clearTimeout(timer);
        if (state === 'handshake') fail('closed before the upgrade');
        else if (state === 'open' && !this.closing) this.dropped++;
      });
    });
  }
}

/** What a broadcast needs of its clients: how many, and where their messages go. */
export interface Clients {
  readonly size: number;
  onMessage: MessageHandler;
}

/** Several pools as one, client indices continuing from one pool into the next. */
export class JoinedPools implements Clients {
  readonly size: number;
  private handler: MessageHandler = () => {};

  private readonly pools: RawWsPool[];

  constructor(pools: RawWsPool[]) {
    this.pools = pools;
    this.size = pools.reduce((sum, pool) => sum + pool.size, 0);
  }

  get onMessage(): MessageHandler {
    return this.handler;
  }

  set onMessage(handler: MessageHandler) {
    this.handler = handler;
    let offset = 0;
    for (const pool of this.pools) {
      const base = offset;
      pool.onMessage = (client, payload, at) => handler(base + client, payload, at);
      offset += pool.size;
    }
  }
}
