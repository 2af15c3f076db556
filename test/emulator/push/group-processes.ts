import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDb } from '../../../emulator/push/sqlite-db.ts';
import { GroupStore } from '../../../src/groups/group-store.ts';
import { DurablePushes, Mailbox, defaultLimits } from '../../../src/index.ts';
import { RelayedGroups } from '../../../src/relay/relayed-groups.ts';
import type { FakeSocket } from '../../src/fake-socket.ts';
import { processes } from '../../src/relay/relay-helpers.ts';

/**
 * `count` processes relayed in memory with groups over one shared store, as the local server has them. With
 * `stored`, the mailbox is in that store too (one SQLite file, one connection: they run in one thread).
 */
export async function groupProcesses(count: number, stored = false) {
  const p = await processes(count);
  const dir = stored ? mkdtempSync(join(tmpdir(), 'pushport-group-processes-')) : undefined;
  const db = new SqliteDb(dir === undefined ? ':memory:' : join(dir, 'store.db'));
  const store = new GroupStore(db, defaultLimits);
  for (const node of stored ? p.relay.nodes : []) {
    node.stored.storeIn(() => new DurablePushes(new Mailbox(db, defaultLimits)));
    node.stored.openStore();
  }
  // Each one rides on its process's relay node, which tells it of the uids that come and go.
  const groups = p.relay.nodes.map((node, i) => new RelayedGroups<FakeSocket>(node, { open: () => store, exists: () => true, target: p.targets[i]! }));
  const dispose = () => dir !== undefined && rmSync(dir, { recursive: true, force: true });
  return { ...p, groups, dispose };
}
