import { log } from '../log.ts';
import { checkReusedPortsFree } from '../port-check.ts';
import { bindHandle, type ListenHandle } from '../listen-handle.ts';
import { settings } from '../settings.ts';
import { parseSocketName } from '../socket-name.ts';
import type { ServedWorker } from './served-worker.ts';
import { ChildRef, type ChildExit } from './child-ref.ts';
import type { ConnectionInfo, ProcessStatus, StatusReport } from './ipc.ts';

interface Slot {
  index: number;
  worker: ServedWorker;
  id: number;
  child: ChildRef | null;
  quickExits: number;
  respawn: NodeJS.Timeout | null;
}

// A child that lived less than this counts as a crash loop, and its replacement waits longer each time.
const QUICK_EXIT_MS = 5000;
const MAX_BACKOFF_MS = 5000;
const ASK_TIMEOUT_MS = 1000;
const READY_TIMEOUT_MS = 15_000;

/** Supervises `count` processes per Worker: shares or spreads sockets, respawns the dead, stops and reloads. */
export class Master {
  readonly startedAt = Date.now();
  state: 'starting' | 'running' | 'reloading' | 'stopping' = 'starting';
  readonly #startFile: string;
  readonly #workers: ServedWorker[];
  readonly #slots: Slot[] = [];
  readonly #handles = new Map<number, ListenHandle>();

  constructor(workers: ServedWorker[], startFile: string) {
    this.#workers = workers;
    this.#startFile = startFile;
  }

  /** Binds shared sockets, forks every process and waits until each listens (or dies); throws if a listen failed. */
  async start(): Promise<void> {
    this.#workers.forEach((worker, index) => {
      const name = worker.getSocketName();
      // Without reusePort the master binds once and every child inherits the socket, as in Workerman.
      if (name && !worker.reusePort) this.#handles.set(index, bindHandle(parseSocketName(name), false));
      for (let id = 0; id < Math.max(1, worker.count); id++) {
        this.#slots.push({ index, worker, id, child: null, quickExits: 0, respawn: null });
      }
    });
    const children = this.#slots.map((slot) => this.#spawn(slot));
    await Promise.all(children.map((child) => child.ready));
    const failed = children.find((child) => child.listenError);
    if (failed?.listenError) throw new Error(failed.listenError);
    this.state = 'running';
  }

  /** Stops every child (graceful: let connections finish; restart: the server comes back) and closes the shared sockets. */
  async stop(graceful: boolean, restart = false): Promise<void> {
    this.state = 'stopping';
    const boundMs = (graceful ? settings.gracefulStopTimeout : settings.stopTimeout) * 1000;
    for (const slot of this.#slots) if (slot.respawn) clearTimeout(slot.respawn);
    await Promise.all(this.#slots.map((slot) => slot.child?.stop(graceful, false, boundMs, restart)));
    for (const handle of this.#handles.values()) handle.close();
    this.#handles.clear();
  }

  /** Replaces children one at a time: the new one listens before the old one stops. Returns how many were replaced. */
  async reload(graceful: boolean): Promise<number> {
    if (this.state !== 'running') throw new Error(`cannot reload while ${this.state}`);
    this.state = 'reloading';
    let replaced = 0;
    try {
      for (const slot of this.#slots) {
        const old = slot.child;
        if (!old) continue;
        const fresh = this.#spawn(slot);
        if (!(await withTimeout(fresh.ready, READY_TIMEOUT_MS))) {
          log(`reload: new process for ${slot.worker.name} did not start; keeping pid ${old.pid}`);
          fresh.process.kill('SIGKILL');
          slot.child = old;
          continue;
        }
        await old.stop(graceful, true, (graceful ? settings.gracefulStopTimeout : settings.stopTimeout) * 1000);
        replaced++;
      }
    } finally {
      if (this.state === 'reloading') this.state = 'running';
    }
    return replaced;
  }

  /** Every process's counters, asked over IPC; a process that does not answer is marked unresponsive. */
  async status(): Promise<StatusReport> {
    const processes = await Promise.all(
      this.#live().map(async ({ slot, child }) => {
        const stats = await child.ask<ProcessStatus>('stats', ASK_TIMEOUT_MS);
        return stats ?? { pid: child.pid, worker: slot.worker.name, id: slot.id, unresponsive: true as const };
      }),
    );
    return { masterPid: process.pid, startFile: this.#startFile, startedAt: this.startedAt, processes };
  }

  /** Every open connection of every process. */
  async connections(): Promise<ConnectionInfo[]> {
    const lists = await Promise.all(this.#live().map(({ child }) => child.ask<ConnectionInfo[]>('connections', ASK_TIMEOUT_MS)));
    return lists.flatMap((list) => list ?? []);
  }

  /** Pids of the children alive now. */
  childPids(): number[] {
    return this.#live().map(({ child }) => child.pid);
  }

  #live(): Array<{ slot: Slot; child: ChildRef }> {
    return this.#slots.flatMap((slot) => (slot.child?.alive ? [{ slot, child: slot.child }] : []));
  }

  #spawn(slot: Slot): ChildRef {
    const child = new ChildRef(this.#startFile, `${slot.index}:${slot.id}`, this.#handles.get(slot.index) ?? null);
    slot.child = child;
    void child.exited.then((exit) => this.#exited(slot, child, exit));
    return child;
  }

  // A child that dies on its own is replaced; quick deaths in a row wait longer each time (100 ms … 5 s).
  #exited(slot: Slot, child: ChildRef, exit: ChildExit): void {
    if (slot.child !== child || this.state === 'stopping') return;
    log(`worker[${slot.worker.name}:${child.pid}] exit with ${exit.signal ? `signal ${exit.signal}` : `status ${exit.code}`}`);
    slot.child = null;
    if (this.state === 'starting' && child.listenError) return;
    slot.quickExits = Date.now() - child.startedAt < QUICK_EXIT_MS ? slot.quickExits + 1 : 0;
    const delay = slot.quickExits === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 100 * 2 ** (slot.quickExits - 1));
    this.#respawnAfter(slot, delay);
  }

  #respawnAfter(slot: Slot, delay: number): void {
    slot.respawn = setTimeout(() => {
      slot.respawn = null;
      if (this.state === 'stopping') return;
      void this.#portsStillOurs(slot).then((ours) => {
        if (this.state === 'stopping' || slot.child) return;
        if (ours) this.#spawn(slot);
        else this.#respawnAfter(slot, MAX_BACKOFF_MS);
      });
    }, delay);
  }

  /**
   * Whether a reusePort process may bind again: yes while another of its worker's processes listens (the group
   * of listeners is ours); once none is left, only if no other program took the ports meanwhile, since
   * SO_REUSEPORT would let the new process join that program's listeners.
   */
  async #portsStillOurs(slot: Slot): Promise<boolean> {
    if (!slot.worker.reusePort || this.#slots.some((other) => other.index === slot.index && other.child?.alive)) return true;
    try {
      await checkReusedPortsFree([slot.worker]);
      await settings.portsFree?.();
      return true;
    } catch (error) {
      log(`worker[${slot.worker.name}] not started again: ${(error as Error).message} (trying again in ${MAX_BACKOFF_MS / 1000} s)`);
      return false;
    }
  }
}

function withTimeout(promise: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
