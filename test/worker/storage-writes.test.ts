import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PushHub } from '../../worker/push-hub.ts';
import { client } from './helpers.ts';

const shard0 = () => env.PUSH_HUB.get(env.PUSH_HUB.idFromName('shard-0'));

afterEach(() => {
  vi.restoreAllMocks();
});

// Every way the object could write: SQL other than a read, the key-value API, a transaction, the alarm.
function watchWrites(storage: DurableObjectStorage): string[] {
  const writes: string[] = [];
  const sql = Object.getPrototypeOf(storage.sql) as SqlStorage;
  const exec = sql.exec;
  vi.spyOn(sql, 'exec').mockImplementation(function (this: SqlStorage, query: string, ...params: unknown[]) {
    if (!/^\s*SELECT\b/i.test(query)) writes.push(query.trim().split(/\s+/).slice(0, 3).join(' '));
    return exec.call(this, query, ...params);
  } as SqlStorage['exec']);
  const kv = Object.getPrototypeOf(storage.kv) as DurableObjectStorage['kv'];
  const put = kv.put;
  vi.spyOn(kv, 'put').mockImplementation(function (this: typeof kv, key: string, value: unknown) {
    writes.push(`kv.put ${key}`);
    return put.call(this, key, value);
  });
  const proto = Object.getPrototypeOf(storage) as DurableObjectStorage;
  for (const name of ['setAlarm', 'transactionSync'] as const) {
    const original = proto[name] as (...args: unknown[]) => unknown;
    vi.spyOn(proto, name).mockImplementation(function (this: DurableObjectStorage, ...args: unknown[]) {
      writes.push(name);
      return original.apply(this, args);
    } as never);
  }
  return writes;
}

describe('storage on the push path', () => {
  it('writes nothing in the turn of a plain push or batch; the counters follow later, in one write', async () => {
    const c = await client('no-write');
    let writes: string[] = [];
    await runInDurableObject(shard0(), (hub: PushHub, state) => {
      writes = watchWrites(state.storage);
      expect(hub.push('no-write', 'one')).toBe(1);
      expect(hub.pushMany({ uids: ['no-write', 'no-write-offline'], messages: ['two', 'three'] })).toEqual([1, 0]);
      expect(hub.broadcast('four')).toBeGreaterThanOrEqual(1);
      expect(writes).toEqual([]);
    });
    expect(await c.nth(3)).toBe('four');
    expect(c.messages).toEqual(['one', 'two', 'four']);
    // Many pushes, one deferred write of the counters (and the latency beside them).
    await expect.poll(() => writes.length).toBeGreaterThan(0);
    expect(writes.sort()).toEqual(['kv.put counters', 'kv.put latency']);
    // And then no timer is left to keep the object awake or to write again while nothing changes.
    await runInDurableObject(shard0(), (hub: PushHub) => expect(hub['counters']['timer']).toBeUndefined());
  });

  it('stores a push with a ttl or an id: the guarantees that need storage still get it', async () => {
    await runInDurableObject(shard0(), async (hub: PushHub, state) => {
      const writes = watchWrites(state.storage);
      await hub.push('store-offline', 'kept', { ttl: 60 });
      expect(writes.length).toBeGreaterThan(0);
    });
  });
});
