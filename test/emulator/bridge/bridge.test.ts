import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, freePort, launch } from '../helpers/processes.ts';
import { LineClient } from '../../support/line-client.ts';
import { PROCESS_START_MS, waitFor } from '../../support/poll.ts';
import { BIN } from '../../support/push-server-process.ts';

afterAll(cleanup);

describe('pushport bridge', () => {
  it.each([
    [['bridge'], 'pushport: bridge needs --to <http(s) URL of the deployment>'],
    [['bridge', '--to', 'ftp://x'], 'pushport: bridge needs --to <http(s) URL of the deployment>'],
    [['bridge', '--to', 'http://x'], "pushport: bridge needs the deployment's publisher token: --token or PUSH_TOKEN"],
    [['bridge', '--to', 'http://x', '--token', 't', '--listen', 'nowhere'], 'pushport: --listen must be host:port, got "nowhere"'],
    [['bridge', '--to', 'http://x', '--token', 't', '--lisen', '1'], 'pushport: unknown option --lisen (see pushport bridge --help)'],
  ])('refuses %j in one line with exit 2', async (args, error) => {
    expect(await cli(BIN, args, { PUSH_TOKEN: '' })).toEqual({ code: 2, output: `${error}\n` });
  });

  it('answers each line with the upstream error when the deployment cannot be reached, and keeps serving', async () => {
    const [port, dead] = [await freePort(), await freePort()];
    const bridge = launch(BIN, ['bridge', '--listen', `127.0.0.1:${port}`, '--to', `http://127.0.0.1:${dead}`, '--token', 't'], {});
    await waitFor(() => bridge.output().includes('bridge listening'), 'the bridge', PROCESS_START_MS);
    const text = await LineClient.open(port);
    text.write('{"uid":"a"}\nnot json\n{"uid":"b"}\n');
    const replies = await text.read(3);
    expect(replies[0]).toMatch(/^error upstream unreachable: /);
    expect(replies[1]).toBe('error invalid JSON');
    expect(replies[2]).toMatch(/^error upstream unreachable: /);
    text.close();
    bridge.kill('SIGTERM');
  });
});
