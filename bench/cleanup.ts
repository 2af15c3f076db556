// Everything the bench must undo however it ends (done, failed, or Ctrl+C): servers, sockets, the temp dir.
const pending = new Set<() => void | Promise<void>>();

/** Registers something to undo; call the returned function once it has been undone the normal way. */
export function onCleanup(undo: () => void | Promise<void>): () => void {
  pending.add(undo);
  return () => pending.delete(undo);
}

/** Runs every registered undo, newest first (sockets before the servers they talk to), each at most once. */
export async function runCleanup(): Promise<void> {
  const undos = [...pending].reverse();
  pending.clear();
  for (const undo of undos) {
    try {
      await undo();
    } catch (error) {
      console.error(`bench: cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Runs a bench's main: a failure is printed as `bench: <reason>` with exit code 1, and everything is undone either way. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await runCleanup();
  }
}
