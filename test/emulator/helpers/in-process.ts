import { Worker } from '../../../emulator/index.ts';

const workers: Worker[] = [];

/** A worker listening on a free loopback port in this (the test's) process; returns the port. */
export function serve(scheme: string, setup: (worker: Worker) => void): number {
  const worker = new Worker(`${scheme}://127.0.0.1:0`);
  setup(worker);
  worker.listen();
  workers.push(worker);
  return worker.address()?.port ?? 0;
}

/** Stops every worker serve() started, and drops their connections. */
export function stopServed(): void {
  for (const worker of workers.splice(0)) {
    worker.unlisten();
    for (const connection of worker.connections.values()) connection.destroy();
  }
}

/** Has stopServed() stop a worker the test started itself. */
export function track(worker: Worker): void {
  workers.push(worker);
}

/** The workers serve() started, oldest first. */
export function served(): readonly Worker[] {
  return workers;
}
