import { backoffDelay } from './backoff.ts';
import { SeqTracker, type SeqGap } from './seq-tracker.ts';
import { TypedEvents } from './typed-events.ts';
import { V1_PROTOCOL, parseV1Frame } from '../wire/v1-frame.ts';
import { globalWebSocket, type WebSocketClass, type WebSocketLike } from './web-socket-like.ts';

/** Where to connect, who as, and how to behave when the link drops. */
export interface PushportSocketOptions {
  /** The server's WebSocket URL (ws:// or wss://); its query is kept. */
  url: string;
  /** Identifies with `?uid=` (compatible mode). */
  uid?: string;
  /** Identifies with `?token=` (signed mode: a token from your backend). */
  token?: string;
  /** The last seq the app saw (kept across a page reload): the server first resends every later retained push. */
  since?: number;
  /** A WebSocket class to use instead of the global one (e.g. the `ws` package's). */
  WebSocket?: WebSocketClass;
  /** Shortest wait before a reconnect (500). */
  minDelayMs?: number;
  /** Longest wait before a reconnect (15000). */
  maxDelayMs?: number;
  /** Seconds between pings (25); two unanswered pings mean the link is dead. 0 turns pings off. */
  pingSeconds?: number;
  /** Stands in for Math.random in the back-off jitter. */
  random?: () => number;
}

/** Where the client is: connecting, open, waiting to reconnect, or closed for good. */
export type PushportSocketState = 'connecting' | 'open' | 'waiting' | 'closed';

/** Why a connection ended and whether (and when) the client tries again. */
export interface PushportCloseInfo {
  code: number;
  reason: string;
  willRetry: boolean;
  /** The wait before the next attempt, when willRetry. */
  retryInMs?: number;
}

/** The events of a PushportSocket. */
export interface PushportSocketEvents {
  /** A push: its exact message, and its seq on a v1 connection (0: not stored, undefined: plain server). */
  message: (data: string, seq: number | undefined) => void;
  open: () => void;
  close: (info: PushportCloseInfo) => void;
  /** Pushes lost for good: the server no longer held them when the client resumed. */
  gap: (gap: SeqGap) => void;
  state: (state: PushportSocketState) => void;
}

/** Close code of a policy refusal (bad uid or token, too many tabs): retrying cannot help. */
const POLICY_VIOLATION = 1008;
const OPEN = 1;

/**
 * A WebSocket to a pushport server that loses no push across reconnects: it asks for `pushport.v1`, reconnects
 * with back-off, resumes with `since`, drops duplicates, refetches on a gap, and pings to find a dead link.
 */
export class PushportSocket extends TypedEvents<PushportSocketEvents> {
  private readonly options: PushportSocketOptions;
  private readonly WebSocketClass: WebSocketClass;
  private readonly seqs: SeqTracker;
  private ws: WebSocketLike | undefined;
  private v1 = false;
  private v1Seen = false;
  private askPlain = false;
  private current: PushportSocketState = 'connecting';
  private attempt = 0;
  private unanswered = 0;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(options: PushportSocketOptions) {
    super();
    this.options = options;
    this.WebSocketClass = options.WebSocket ?? globalWebSocket();
    this.seqs = new SeqTracker(options.since);
    this.connect();
  }

  /** The last seq delivered: keep it (e.g. in sessionStorage) and pass it back as `since` after a reload. */
  get lastSeq(): number {
    return this.seqs.lastSeq;
  }

  /** Where the client is now. */
  get state(): PushportSocketState {
    return this.current;
  }

  /** Closes the connection and stops reconnecting, for good. */
  close(): void {
    if (this.current !== 'closed') this.end(1000, 'closed by the app', false);
  }

  private connect(): void {
    const { url, uid, token } = this.options;
    const target = new URL(url, (globalThis as { location?: { href: string } }).location?.href);
    if (uid !== undefined) target.searchParams.set('uid', uid);
    if (token !== undefined) target.searchParams.set('token', token);
    if (this.seqs.lastSeq > 0) target.searchParams.set('since', String(this.seqs.lastSeq));
    this.setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = new this.WebSocketClass(target.href, this.askPlain ? [] : V1_PROTOCOL);
    } catch (error) {
      this.end(1006, `cannot connect: ${String(error)}`, true);
      return;
    }
    this.ws = ws;
    this.unanswered = 0;
    // A stale socket's events are ignored: the client moved on when it gave that socket up.
    ws.addEventListener('open', () => ws === this.ws && this.opened(ws));
    ws.addEventListener('message', (event) => ws === this.ws && this.receive(event.data));
    ws.addEventListener('close', (event) => ws === this.ws && this.end(event.code, event.reason, event.code !== POLICY_VIOLATION));
    // Without a listener the ws package throws its errors; a close event always follows one.
    ws.addEventListener('error', () => {});
    const { pingSeconds = 25 } = this.options;
    if (pingSeconds > 0) this.pinger = setInterval(() => this.tick(), pingSeconds * 1000);
  }

  private opened(ws: WebSocketLike): void {
    this.v1 = ws.protocol === V1_PROTOCOL;
    this.v1Seen ||= this.v1;
    this.seqs.connected();
    this.setState('open');
    this.emit('open');
  }

  // Counts pings, not clock time: a background tab's throttled timers must not look like a dead link.
  private tick(): void {
    if (this.unanswered >= 2) return this.end(1006, 'no word from the server for 2 ping intervals', true);
    this.unanswered++;
    if (this.ws?.readyState === OPEN) this.ws.send('ping');
  }

  private receive(data: unknown): void {
    this.unanswered = 0;
    // The server answered: the link works end to end, so the next drop starts the back-off over.
    this.attempt = 0;
    if (typeof data !== 'string' || data === 'pong') return;
    const frame = this.v1 ? parseV1Frame(data) : undefined;
    if (!frame) return this.emit('message', data, undefined);
    if (frame.seq > 0) {
      const verdict = this.seqs.check(frame.seq);
      if (verdict === 'duplicate') return;
      if (verdict === 'refetch') return this.end(1000, `missed the pushes before seq ${frame.seq}: resuming`, true, 0);
      if (verdict !== 'deliver') this.emit('gap', verdict);
    }
    this.emit('message', frame.message, frame.seq);
  }

  // The one place a connection ends: its close event, a dead link, a gap to refetch, or close().
  private end(code: number, reason: string, willRetry: boolean, delayMs?: number): void {
    const ws = this.ws;
    this.ws = undefined;
    if (this.pinger) clearInterval(this.pinger);
    if (this.retry) clearTimeout(this.retry);
    if (ws && ws.readyState <= OPEN) ws.close(1000);
    // Browsers fail a handshake that does not echo the subprotocol asked for, as an older server's does, with
    // nothing to tell it from an outage: until v1 has worked once, every other attempt goes without it.
    this.askPlain = !this.v1Seen && this.current === 'connecting' && !this.askPlain;
    const { minDelayMs = 500, maxDelayMs = 15_000, random } = this.options;
    const retryInMs = willRetry ? (delayMs ?? backoffDelay(this.attempt++, minDelayMs, maxDelayMs, random)) : undefined;
    // Timer and state first: a close listener that calls close() must find them to cancel.
    if (retryInMs !== undefined) this.retry = setTimeout(() => this.connect(), retryInMs);
    this.setState(willRetry ? 'waiting' : 'closed');
    this.emit('close', { code, reason, willRetry, retryInMs });
  }

  private setState(state: PushportSocketState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }
}
