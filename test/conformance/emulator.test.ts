import { afterAll, beforeAll, describe } from 'vitest';
import { cleanup } from '../emulator/helpers/processes.ts';
import { startPushServer } from '../support/push-server-process.ts';
import { httpCases } from './http-cases.ts';
import type { ConformanceTarget } from './target.ts';
import { textCases } from './text-cases.ts';

// The local push server, started from the real CLI with two processes, so every case also crosses the relay.
describe('conformance: emulator push server (count 2)', () => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 'conf-token', MAX_MESSAGE_BYTES: '4096' });
    target = {
      httpUrl: server.httpUrl, wsUrl: server.wsUrl, token: 'conf-token',
      textPort: { host: '127.0.0.1', port: server.textPort },
      stop: server.stop,
    };
  }, 60_000);
  afterAll(async () => {
    await target?.stop();
    cleanup();
  });

  httpCases(() => target, 'emulator');
  textCases(() => target, 'emulator');
});
