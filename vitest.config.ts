import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two projects: the Worker inside workerd, and everything that runs on Node.
// The runtime-free core (test/src) runs in both, which is how we know it is runtime-free.
// Every test must assert something; polls wait up to 5 s, since CI shares two cores with real servers.
const expectations = { requireAssertions: true, poll: { timeout: 5000 } };
// A test holds several such waits, and a hook may open a hundred sockets: vitest's defaults (5 s a test, 10 s a
// hook) are too short for that on a busy machine, in workerd as on Node.
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // One line per test as it ends: the default reporter prints a file only when all of it is done, which left
    // half a minute without output while the multi-process files ran.
    reporters: ['verbose'],
    // Most files wait on real servers and sockets rather than compute, so three run at once even on two cores
    // (vitest would run one: cores - 1). One value for both projects, which vitest requires of projects that share
    // a sequence group.
    maxWorkers: 3,
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: { PUSH_TOKEN: 'test-token', MAX_MESSAGE_BYTES: '4096', MAX_CONNECTIONS_PER_UID: '3', IDLE_TIMEOUT_SECONDS: '3600' },
            },
          }),
        ],
        test: { name: 'workers', include: ['test/src/**/*.test.ts', 'test/worker/**/*.test.ts'], expect: expectations, ...timeouts },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          expect: expectations,
          include: ['test/src/**/*.test.ts', 'test/client/**/*.test.ts', 'test/node/**/*.test.ts', 'test/emulator/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          ...timeouts,
        },
      },
    ],
  },
});
