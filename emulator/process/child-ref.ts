import { fork, type ChildProcess } from 'node:child_process';
import { settings } from '../settings.ts';
import type { ListenHandle } from '../listen-handle.ts';
import { CHILD_ENV, type FromChild, type ToChild } from './ipc.ts';

/** How a child process ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The master's view of one forked child: its readiness, its exit, and questions asked over IPC. */
export class ChildRef {
  readonly process: ChildProcess;
  readonly startedAt = Date.now();
  /** Resolves true once the child listens and ran onWorkerStart, false if it exits first. */
  readonly ready: Promise<boolean>;
  readonly exited: Promise<ChildExit>;
  /** Set when the child could not listen on its own address. */
  listenError: string | null = null;
  #nextRequest = 1;
  readonly #pending = new Map<number, (data: unknown) => void>();

  /** Forks the start script again as slot `marker`, handing it the shared socket if there is one. */
  constructor(startFile: string, marker: string, handle: ListenHandle | null) {
    this.process = fork(startFile, process.argv.slice(2), {
      env: { ...settings.childEnv, ...process.env, [CHILD_ENV]: marker },
      execArgv: [...process.execArgv, ...settings.childExecArgv],
    });
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
    this.ready = new Promise((resolve) => {
      this.process.on('message', (message: FromChild) => {
        if (message.t === 'ready') resolve(true);
        else if (message.t === 'listen-failed') this.listenError = message.error;
        else if (message.t === 'answer') this.#pending.get(message.req)?.(message.data);
      });
      void this.exited.then(() => resolve(false));
    });
    // A child that dies before reading its messages makes send() fail; its exit is handled elsewhere.
    this.process.on('error', () => {});
    this.#send({ t: 'start' }, handle ?? undefined);
  }

  get pid(): number {
    return this.process.pid ?? 0;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Asks the child for stats or its connection list; null if it does not answer in time. */
  ask<T>(what: 'stats' | 'connections', timeoutMs: number): Promise<T | null> {
    if (!this.alive) return Promise.resolve(null);
    const req = this.#nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), timeoutMs);
      const finish = (data: unknown): void => {
        clearTimeout(timer);
        this.#pending.delete(req);
        resolve(data as T | null);
      };
      this.#pending.set(req, finish);
      this.#send({ t: 'ask', req, what });
    });
  }

  /** Asks the child to stop (for a reload, or before a restart) and waits for it; after `boundMs` it is killed. */
  async stop(graceful: boolean, reload: boolean, boundMs: number, restart = false): Promise<void> {
    if (!this.alive) return;
    this.#send({ t: 'stop', graceful, reload, restart });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), boundMs);
    await this.exited;
    clearTimeout(timer);
  }

  #send(message: ToChild, handle?: ListenHandle): void {
    if (!this.process.connected) return;
    this.process.send(message, handle as never, {}, () => {});
  }
}
