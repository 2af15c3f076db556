import { describe, expect, it } from 'vitest';
import { batchedReplies } from '../../../emulator/push/reply-batcher.ts';

describe('batchedReplies', () => {
  it('sends the lines of one tick as one text, in order, and starts afresh next tick', async () => {
    const sent: string[] = [];
    const reply = batchedReplies((text) => sent.push(text));
    reply('ok');
    reply('fail');
    reply('error invalid JSON');
    expect(sent).toEqual([]);
    await new Promise((r) => process.nextTick(r));
    expect(sent).toEqual(['ok\nfail\nerror invalid JSON']);
    reply('ok');
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual(['ok\nfail\nerror invalid JSON', 'ok']);
  });
});
