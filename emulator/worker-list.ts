import type { ServedWorker } from './process/served-worker.ts';

/** Every Worker constructed in this process, in order: runAll() supervises those made before it, by index. */
export const allWorkers: ServedWorker[] = [];

/** Workers listening in this process now (the supervised one and any inner `listen()`), for stop and status. */
export const listeningWorkers = new Set<ServedWorker>();
