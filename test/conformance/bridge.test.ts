import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../support/line-client.ts';
import { cleanup, freePort, launch } from '../emulator/helpers/processes.ts';
import { PROCESS_START_MS, waitFor } from '../support/poll.ts';
import { startWranglerDev } from '../node/wrangler-process.ts';
import { BIN } from '../support/push-server-process.ts';
import { groupCases } from './group-cases.ts';
import { httpCases } from './http-cases.ts';
import { storedCases } from './stored-cases.ts';
import { CONFORMANCE_SETTINGS, type ConformanceTarget } from './target.ts';
import { textCases } from './text-cases.ts';

// The bridge in front of the Worker under wrangler dev: WebSocket and HTTP go to the Worker, the text port is
// the bridge's, so the text cases exercise text → POST /push/batch → Durable Object → WebSocket. (The client
// rules are the Worker's own, held by workerd.test.ts.)
let deadPort = 0;

describe('conformance: bridge in front of wrangler dev', () => {
  let target: ConformanceTarget;
  let devUrl = '';
  beforeAll(async () => {
    const dev = await startWranglerDev({ ...CONFORMANCE_SETTINGS });
    devUrl = dev.url;
    deadPort = await freePort();
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
  storedCases(() => target, 'bridge', true);
  textCases(() => target, 'bridge');
  // Group lines on the text port cross the bridge as POST /push/batch lines, like uid lines.
  groupCases(() => target, 'bridge', true);

  // What a backend reads when the deployment refuses the bridge's token, or cannot be reached: through the bridge.
  it.each([
    ['refuses its token', () => ['--to', devUrl, '--token', 'wrong'], /^error upstream 401: invalid publisher token$/],
    ['cannot be reached', () => ['--to', `http://127.0.0.1:${deadPort}`, '--token', 'conf-token'], /^error upstream unreachable: /],
  ])('answers every line with the upstream error when the deployment %s', async (_name, to, error) => {
    const port = await freePort();
    const bridge = launch(BIN, ['bridge', '--listen', `127.0.0.1:${port}`, ...to()], {});
    await waitFor(() => bridge.output().includes('bridge listening'), 'the bridge to listen', PROCESS_START_MS);
    const text = await LineClient.open(port);
    text.write('{"uid":"bridge-upstream-a"}\n{"uid":"bridge-upstream-b"}\n');
    const replies = await text.read(2);
    expect(replies).toEqual([expect.stringMatching(error), expect.stringMatching(error)]);
    text.close();
    bridge.kill('SIGTERM');
  });
});
