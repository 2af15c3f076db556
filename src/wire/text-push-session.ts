import { secretsEqual } from '../auth/publisher-token.ts';
import type { PushTarget } from '../http/push-target.ts';
import { parsePush } from './push-message.ts';

/** How a text-port connection is wired to the runtime. */
export interface TextPushSessionOptions {
  target: PushTarget;
  maxUidBytes: number;
  /** When set, the connection's first line must be this token (answered `ok`, or `error` and closed). */
  token?: string;
  /** Writes one reply; the protocol adds the newline. */
  reply(text: string): void;
  /** Closes the connection once the replies before it are written. */
  close(): void;
}

function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
}

/**
 * One connection of the text push port: each line is a push answered `ok` (delivered), `fail` (nobody
 * online) or `error <reason>`. Pushes start as soon as their line arrives; replies go out in line order.
 */
export class TextPushSession {
  private readonly options: TextPushSessionOptions;
  private tail: Promise<void> = Promise.resolve();
  private authorised: Promise<boolean> | undefined;
  private closed = false;

  constructor(options: TextPushSessionOptions) {
    this.options = options;
    if (options.token === undefined) this.authorised = Promise.resolve(true);
  }

  /** One line from the client, without its newline. */
  line(text: string): void {
    if (this.closed) return;
    const answer = this.answer(text);
    this.tail = this.tail.then(async () => {
      const reply = await answer;
      if (this.closed || reply === undefined) return;
      this.options.reply(reply);
      if (reply === 'error invalid token') {
        this.closed = true;
        this.options.close();
      }
    });
  }

  /** Resolves once every reply so far has been written. */
  settled(): Promise<void> {
    return this.tail;
  }

  private answer(text: string): Promise<string | undefined> {
    if (this.authorised === undefined) {
      this.authorised = secretsEqual(text.trim(), this.options.token!);
      return this.authorised.then((ok) => (ok ? 'ok' : 'error invalid token'));
    }
    // Parse now, push only once the token (if any) has been accepted.
    const parsed = parsePush(text, this.options.maxUidBytes);
    return this.authorised.then(async (ok) => {
      if (!ok) return undefined;
      if (!parsed.ok) return `error ${parsed.error}`;
      try {
        return (await this.options.target.push(parsed.uid, parsed.message)) > 0 ? 'ok' : 'fail';
      } catch (err) {
        return `error ${reasonOf(err)}`;
      }
    });
  }
}
