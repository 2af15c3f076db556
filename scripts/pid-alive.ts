/** Whether a process with this pid still runs (signal 0 checks without touching it); shared by the bench and the tests. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
