import { afterAll, beforeAll, describe } from 'vitest';
import { cleanup } from '../emulator/helpers/processes.ts';
import { httpCases } from './http-cases.ts';
import { signedCases } from './signed-cases.ts';
import { storedCases } from './stored-cases.ts';
import type { ConformanceTarget } from './target.ts';
import { startEmulatorTarget } from './emulator-target.ts';
import { textCases } from './text-cases.ts';

// The local server in signed mode (count 2): the same cases, every client connecting with a signed token.
describe('conformance: emulator push server in signed mode (count 2)', () => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    target = await startEmulatorTarget(2, 'conf-secret');
  }, 60_000);
  afterAll(async () => {
    await target?.stop();
    cleanup();
  });

  signedCases(() => target, 'signed');
  httpCases(() => target, 'signed', { signed: true });
  textCases(() => target, 'signed');
  storedCases(() => target, 'signed', true);
});
