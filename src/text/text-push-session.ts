import { secretsEqual } from '../auth/publisher-token.ts';
import { isRefusal, QUEUED, type PushAnswer } from '../hub/push-answer.ts';
import type { AnswerSink, PushTarget } from '../hub/push-target.ts';
import { NO_GROUPS, type GroupTarget } from '../groups/group-target.ts';
import { parsePush } from '../wire/push-message.ts';

/**
 * Where a text port's lines go: a push target that may also take group pushes (a line with no uid and a string
 * group); without `pushGroup` a group line is answered `error groups are not available on this server`. A target
 * that queues its pushes (the bridge's upstream) keeps a group push in line with the uid pushes.
 */
export type TextTarget = PushTarget & Partial<Pick<GroupTarget, 'pushGroup'>>;

/** How a text-port connection is wired to the runtime. */
export interface TextPushSessionOptions {
  target: TextTarget;
  maxUidBytes: number;
  /** Longest ttl a push may ask for (MAX_TTL_SECONDS). */
  maxTtlSeconds?: number;
  /** Where group lines go, when not to the target itself. */
  groups?: Pick<GroupTarget, 'pushGroup'>;
  /** When set, the connection's first line must be this token (answered `ok`, or `error` and closed). */
  token?: string;
  /** Writes one reply; the protocol adds the newline. */
  reply(text: string): void;
  /** Closes the connection once the replies before it are written. */
  close(): void;
  /** Told each time an answer that was waiting arrives (a runtime may resume reading then). */
  settled?(): void;
}

/** One line's answer: the reply to write, and whether the connection must close after it. */
export interface LineAnswer {
  reply: string;
  close?: boolean;
}

const answerOk: LineAnswer = { reply: 'ok' };
const answerFail: LineAnswer = { reply: 'fail' };
const answerQueued: LineAnswer = { reply: 'queued' };
const badToken: LineAnswer = { reply: 'error invalid token', close: true };

// Written answers kept at most before they are dropped from the front of the queue.
const DROP_AFTER = 1024;

// A reason on one line, as the reply needs it.
const errorReply = (reason: string): LineAnswer => ({ reply: `error ${reason.replace(/\s+/g, ' ')}` });
const reasonOf = (err: unknown) => errorReply(err instanceof Error ? err.message : String(err));

function answerOf(answer: PushAnswer): LineAnswer {
  if (isRefusal(answer)) return errorReply(answer.refused);
  return answer > 0 ? answerOk : answer === QUEUED ? answerQueued : answerFail;
}

/**
 * One connection of the text push port: each line is a push answered `ok` (delivered), `fail` (nobody
 * online), `queued` (nobody online, kept for its ttl) or `error <reason>`, in line order. When the target
 * answers at once (a local hub), so does the session: no promise per line. Answers that wait (another
 * process, the edge) hold the replies after them until they arrive.
 */
export class TextPushSession implements AnswerSink {
  private readonly options: TextPushSessionOptions;
  // Answers not yet written, oldest first; a slot is null until its answer arrives. queue[0] is line number
  // `base`, and queue[head] the oldest unwritten: the written front is dropped as it grows (see flush).
  private queue: (LineAnswer | null)[] = [];
  private head = 0;
  private base = 0;
  private auth: 'open' | 'none' | 'failed';
  private closed = false;
  // end() was called: later lines are not read, and the close follows the answers owed.
  private ending = false;

  constructor(options: TextPushSessionOptions) {
    this.options = options;
    this.auth = options.token === undefined ? 'open' : 'none';
  }

  /** One line from the client, without its newline. */
  line(text: string): void {
    if (this.closed || this.ending) return;
    const answer = this.answer(text);
    if (answer === undefined) return;
    // Its answer comes through settle().
    if (answer === null) return void this.queue.push(null);
    if (!(answer instanceof Promise)) {
      if (this.head === this.queue.length) return this.write(answer);
      this.queue.push(answer);
      return;
    }
    const slot = this.base + this.queue.length;
    this.queue.push(null);
    answer.then((value) => this.place(slot, answerOf(value)), (error: unknown) => this.place(slot, reasonOf(error)));
  }

  /** The target's answer to the line numbered `tag` (see PushTarget.pushTo) arrived. */
  settle(tag: number, answer: PushAnswer): void {
    this.place(tag, answerOf(answer));
  }

  // A waiting answer arrived: written with every answer after it that is ready.
  private place(slot: number, answer: LineAnswer): void {
    this.queue[slot - this.base] = answer;
    this.flush();
    this.options.settled?.();
  }

  /**
   * Ends the session: every line already read still gets its answer, in order, then `reply` (if any) is written
   * and the connection closes. Lines that arrive after this are not answered: a backend resends them elsewhere.
   */
  end(reply?: string): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    const last: LineAnswer = { reply: reply ?? '', close: true };
    if (this.head === this.queue.length) this.write(last);
    else this.queue.push(last);
  }

  /** Lines whose answer is still being worked out. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Slots the session keeps, written ones not yet dropped included: bounded by about twice `waiting`. */
  get kept(): number {
    return this.queue.length;
  }

  // A line's answer: now, later through a promise or through settle() (null), or none (undefined).
  private answer(text: string): LineAnswer | Promise<PushAnswer> | null | undefined {
    const auth = this.auth;
    if (auth === 'open') return this.push(text);
    if (auth === 'failed') return undefined;
    const ok = secretsEqual(text.trim(), this.options.token!);
    this.auth = ok ? 'open' : 'failed';
    return ok ? answerOk : badToken;
  }

  private push(text: string): LineAnswer | Promise<PushAnswer> | null {
    const parsed = parsePush(text, this.options.maxUidBytes, this.options.maxTtlSeconds);
    if (!parsed.ok) return { reply: `error ${parsed.error}` };
    const { target } = this.options;
    let answer: PushAnswer | Promise<PushAnswer> | undefined;
    if (parsed.group !== undefined) {
      const groups = this.options.groups ?? (target.pushGroup ? target as Pick<GroupTarget, 'pushGroup'> : undefined);
      if (!groups) return errorReply(NO_GROUPS);
      try {
        answer = groups.pushGroup(parsed);
      } catch (err) {
        return reasonOf(err);
      }
      return answer instanceof Promise ? answer : answerOf(answer);
    }
    try {
      // The parse result carries ttl and id when the line had them. A target that can hand a later answer
      // to this session by line number needs no promise for it; the line's slot is the next in the queue.
      answer = target.pushTo
        ? target.pushTo(parsed.uid, parsed.message, parsed, this, this.base + this.queue.length)
        : target.push(parsed.uid, parsed.message, parsed);
    } catch (err) {
      // A target that fails (a store error, a remote call) throws: the line is answered with why.
      return reasonOf(err);
    }
    if (answer === undefined) return null;
    return answer instanceof Promise ? answer : answerOf(answer);
  }

  private flush(): void {
    while (this.head < this.queue.length && !this.closed) {
      const answer = this.queue[this.head];
      if (answer === null || answer === undefined) break;
      this.queue[this.head++] = null;
      this.write(answer);
    }
    // A backend that pipelines without pause may never let the queue empty: drop the written front once it
    // is most of the array (copying what is left, so the cost per line stays constant), or the array grows
    // for as long as the connection lives.
    const { head } = this;
    if (head === this.queue.length) this.queue = [];
    else if (head >= DROP_AFTER && head * 2 >= this.queue.length) this.queue = this.queue.slice(head);
    else return;
    this.base += head;
    this.head = 0;
  }

  private write(answer: LineAnswer): void {
    if (answer.reply) this.options.reply(answer.reply);
    if (answer.close) {
      this.closed = true;
      this.options.close();
    }
  }
}
