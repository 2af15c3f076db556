import { afterAll, beforeAll, describe } from 'vitest';
import { cleanup } from '../emulator/helpers/processes.ts';
import { clientCases } from './client-cases.ts';
import { storedLimitCases } from './stored-limit-cases.ts';
import type { ConformanceTarget } from './target.ts';
import { startEmulatorTarget } from './emulator-target.ts';
import { groupCases } from './group-cases.ts';

// The local server with one process, where the limits each process counts (tabs per uid, the total queue) hold
// for the whole server, as they do on the edge.
describe('conformance: emulator push server (count 1)', () => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    target = await startEmulatorTarget(1);
  }, 60_000);
  afterAll(async () => {
    await target?.stop();
    cleanup();
  });

  clientCases(() => target, 'one');
  storedLimitCases(() => target, 'one');
  groupCases(() => target, 'one', true);
});
