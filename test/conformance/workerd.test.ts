import { afterAll, beforeAll, describe } from 'vitest';
import { startWranglerDev } from '../node/wrangler-process.ts';
import { clientCases } from './client-cases.ts';
import { groupCases } from './group-cases.ts';
import { httpCases } from './http-cases.ts';
import { storedCases } from './stored-cases.ts';
import { storedLimitCases } from './stored-limit-cases.ts';
import { CONFORMANCE_SETTINGS, type ConformanceTarget } from './target.ts';

// The Worker under workerd, through the real `wrangler dev`. It has no raw text port: that is the bridge's job
// (see bridge.test.ts), so the text cases are not run here.
describe('conformance: Worker under wrangler dev', () => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    const dev = await startWranglerDev({ ...CONFORMANCE_SETTINGS });
    target = { httpUrl: dev.url, wsUrl: dev.url.replace('http', 'ws'), token: 'conf-token', stop: dev.stop };
  }, 90_000);
  afterAll(async () => target?.stop());

  httpCases(() => target, 'workerd');
  clientCases(() => target, 'workerd');
  storedCases(() => target, 'workerd', false);
  storedLimitCases(() => target, 'workerd');
  groupCases(() => target, 'workerd', false);
});
