import type { PushSocket } from '../../src/index.ts';

let next = 0;

/** An in-memory PushSocket that records what it was sent and how it was closed. */
export class FakeSocket implements PushSocket {
  readonly id = `fake-${++next}`;
  readonly sent: string[] = [];
  closed: { code: number; reason: string } | undefined;
  /** Set false to act like a socket that is closing or over its buffer. */
  accepting = true;
  v1?: boolean;
  lastSeq?: number;

  send(message: string): boolean {
    if (!this.accepting || this.closed) return false;
    this.sent.push(message);
    return true;
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
}
