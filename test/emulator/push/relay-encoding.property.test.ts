import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SocketRelay } from '../../../emulator/push/socket-relay.ts';
import { Hub, MemoryRegistry, RelayedTarget, answerHubRequest, defaultLimits } from '../../../src/index.ts';
import { FakeSocket } from '../../src/fake-socket.ts';

const dir = mkdtempSync(join(tmpdir(), 'pushport-relay-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('relay encoding (property)', () => {
  it('carries any payload to the other process byte for byte', async () => {
    const hubs = [0, 1].map(() => new Hub<FakeSocket>(new MemoryRegistry(), { ...defaultLimits, maxUidBytes: 1024 }));
    const relays = hubs.map((hub, self) => new SocketRelay({ self, count: 2, pathOf: (i) => join(dir, `p-${i}.sock`), answer: (r) => answerHubRequest(hub, r) }));
    await Promise.all(relays.map((r) => r.listen()));
    const sender = new RelayedTarget(hubs[0]!, relays[0]!);
    try {
      // Any text, lone surrogates and line ends included; uids are made unique per run.
      const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.json());
      let run = 0;
      await fc.assert(fc.asyncProperty(text, text, async (uidPart, message) => {
        const uid = `${run++}:${uidPart}`;
        const far = new FakeSocket();
        hubs[1]!.connect(far);
        hubs[1]!.identify(far, uid);
        expect(await sender.push(uid, message)).toBe(1);
        expect(far.sent).toEqual([message]);
        hubs[1]!.disconnect(far);
      }), { numRuns: 300 });
    } finally {
      relays.forEach((r) => r.close());
    }
  });
});
