import { afterAll, beforeAll, describe } from 'vitest';
import { cleanup, freePort, launch } from '../emulator/helpers/processes.ts';
import { PROCESS_START_MS, waitFor } from '../support/poll.ts';
import { startWranglerDev } from '../node/wrangler-process.ts';
import { BIN } from '../support/push-server-process.ts';
import { clientCases } from './client-cases.ts';
import { httpCases } from './http-cases.ts';
import { storedCases } from './stored-cases.ts';
import { CONFORMANCE_SETTINGS, type ConformanceTarget } from './target.ts';
import { textCases } from './text-cases.ts';

// The bridge in front of the Worker under wrangler dev: WebSocket and HTTP go to the Worker, the text port is
// the bridge's, so the text cases exercise text → POST /push/batch → Durable Object → WebSocket.
describe('conformance: bridge in front of wrangler dev', () => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    const dev = await startWranglerDev({ ...CONFORMANCE_SETTINGS });
    const textPort = await freePort();
    const bridge = launch(BIN, ['bridge', '--listen', `127.0.0.1:${textPort}`, '--to', dev.url, '--max-line-bytes', '4096'], { PUSH_TOKEN: 'conf-token' });
    await waitFor(() => bridge.output().includes('bridge listening'), 'the bridge to listen', PROCESS_START_MS);
    target = {
      httpUrl: dev.url, wsUrl: dev.url.replace('http', 'ws'), token: 'conf-token',
      textPort: { host: '127.0.0.1', port: textPort },
      stop: async () => {
        bridge.kill('SIGTERM');
        await dev.stop();
      },
    };
  }, 90_000);
  afterAll(async () => {
    await target?.stop();
    cleanup();
  });

  httpCases(() => target, 'bridge');
  clientCases(() => target, 'bridge');
  storedCases(() => target, 'bridge', true);
  textCases(() => target, 'bridge');
});
