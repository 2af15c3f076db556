import { appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDir, runPaths } from './run-paths.ts';
import { settings } from './settings.ts';

/** Workerman's `Worker::log`: a timestamped line to the log file (when managed) and to stdout (unless a daemon). */
export function log(message: string): void {
  const line = `${new Date().toISOString()} pid:${process.pid} ${message}\n`;
  if (settings.managed) {
    const { logFile } = runPaths();
    try {
      ensureDir(dirname(logFile));
      appendFileSync(logFile, line);
    } catch {
      // A log file we cannot write must not take the server down; stdout still has it.
    }
  }
  if (!settings.daemonize) process.stdout.write(line);
}

/** Formats a thrown value with its stack, for the log. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
