import { describe, expect, it } from 'vitest';
import { textClient, wsClient } from './clients.ts';
import type { ConformanceTarget } from './target.ts';

/** The raw text push port cases, for the targets that have one (the emulator and the bridge). */
export function textCases(target: () => ConformanceTarget, prefix: string): void {
  const uid = (name: string) => `${prefix}-text-${name}`;

  describe('text push port', () => {
    it('does what the reference PHP backend expects: one line in, ok or fail out', async () => {
      const c = await wsClient(target(), uid('php'));
      const text = await textClient(target());
      const line = `{"uid":"${uid('php')}","percent":"88%"}`;
      text.write(`${line}\n`);
      expect(await text.read()).toEqual(['ok']);
      await expect.poll(() => c.messages).toEqual([line]);
      text.write(`{"uid":"${uid('nobody')}"}\n`);
      expect(await text.read()).toEqual(['fail']);
      text.close();
      c.ws.close();
    });

    it('answers pipelined lines in order, errors included, and stays usable', async () => {
      const c = await wsClient(target(), uid('pipe'));
      const text = await textClient(target());
      const push = (n: number) => `{"uid":"${uid('pipe')}","n":${n}}`;
      text.write(`${push(1)}\r\nnot json\n{"x":1}\n{"uid":false}\n\n${push(2)}\n{"uid":"${uid('none')}"}\n${push(3)}\n`);
      expect(await text.read(8)).toEqual(['ok', 'error invalid JSON', 'error missing uid', 'error uid must be a string or an integer',
        'error empty push', 'ok', 'fail', 'ok']);
      await expect.poll(() => c.messages).toEqual([push(1), push(2), push(3)]);
      text.close();
      c.ws.close();
    });

    it('closes only the connection whose line is over the limit', async () => {
      const c = await wsClient(target(), uid('big'));
      const big = await textClient(target());
      const other = await textClient(target());
      big.write(`{"uid":"${uid('big')}","pad":"${'p'.repeat(5000)}"}\n`);
      await big.closed;
      other.write(`{"uid":"${uid('big')}"}\n`);
      expect(await other.read()).toEqual(['ok']);
      await expect.poll(() => c.messages).toEqual([`{"uid":"${uid('big')}"}`]);
      other.close();
      c.ws.close();
    });
  });
}
