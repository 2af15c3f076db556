import { vi } from 'vitest';

/**
 * Runs `body` while holding back what the emulator logs to stdout, and returns that log. For tests that provoke
 * a logged error on purpose: they assert on the line instead of leaving it in the output to read as a failure.
 */
export async function captureLog(body: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
  try {
    await body();
  } finally {
    stdout.mockRestore();
  }
  return written.join('');
}
