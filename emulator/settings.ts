/** Process-wide settings that Workerman keeps as `Worker::$…` statics; `Worker`'s static accessors read and write these. */
export const settings = {
  /** `start -d`: run detached, output to `stdoutFile`. */
  daemonize: false,
  /** Master pid file; empty = `<script dir>/.pushport/<script>.pid` (or `$PUSHPORT_RUN_DIR`). */
  pidFile: '',
  /** Log file; empty = beside the pid file, `<script>.log`. */
  logFile: '',
  /** Where a daemon's stdout/stderr go; empty = beside the pid file, `<script>.stdout.log`. */
  stdoutFile: '',
  /** Seconds a non-graceful stop waits for a process before SIGKILL. */
  stopTimeout: 2,
  /** Seconds a graceful stop (`stop -g`) waits for connections to close before SIGKILL. */
  gracefulStopTimeout: 30,
  /** How messages name the program; empty = `pushport <script path>` (the pushport command sets `pushport`). */
  programName: '',
  /** Node options the serving processes are forked with, besides this process's own (a pushport extension). */
  childExecArgv: [] as string[],
  /** Environment defaults of the serving processes: a variable the operator set wins (a pushport extension). */
  childEnv: {} as Record<string, string>,
  /** True once `runAll()` owns this process (master or child): logs then also go to the log file. */
  managed: false,
  /**
   * Checks the ports the processes bind from onWorkerStart, which no Worker names (a pushport extension: the push
   * server's text port); throwing says which is taken. Runs before a start binds anything (after restart's stop),
   * and before a lost process is started again when none of its worker's processes is left.
   */
  portsFree: null as (() => Promise<void>) | null,
  /** Runs once a start's ports are known to be free, before it binds them (the pushport command says what it serves). */
  beforeStart: null as (() => void) | null,
};
