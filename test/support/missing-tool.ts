import { spawnSync } from 'node:child_process';

/**
 * Whether to skip tests that need an outside tool: only when it is missing and this is not CI (where a missing
 * tool must fail). When skipping, says which tool and how to get it, so a skip never passes silently.
 */
export function missingTool(available: boolean, tool: string, install: string): string | undefined {
  if (available || process.env.CI) return undefined;
  const reason = `skipped: ${tool} is not installed (${install})`;
  console.warn(reason);
  return reason;
}

/** Whether a command runs here (`<command> --version` exits 0). */
export function installed(command: string, args = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}
