import type { Layout } from './bucket-layout.ts';

const layoutKey = 'layout';

/**
 * The layout in force, kept by object 0 (which every layout has): each Worker instance proposes its SHARDS once
 * when it starts, and a different object count becomes the next version. The latest proposal wins, so a redeploy
 * with a new SHARDS changes the layout, and an instance still running the old one follows it once told it moved.
 * The reach only grows: an object that ever held buckets keeps its counters and is always summed.
 */
export function proposeLayout(kv: SyncKvStorage, objects: number): Layout {
  const now = kv.get<Layout>(layoutKey);
  if (now !== undefined && now.objects === objects) return now;
  const next: Layout = { version: (now?.version ?? 0) + 1, objects, reach: Math.max(now?.reach ?? 0, objects) };
  kv.put(layoutKey, next);
  return next;
}

/** The layout in force; `objects` is laid out first when there is none yet. */
export function currentLayout(kv: SyncKvStorage, objects: number): Layout {
  return kv.get<Layout>(layoutKey) ?? proposeLayout(kv, objects);
}
