import type { Hub } from '../src/index.ts';
import type { AlarmSchedule } from './alarm-schedule.ts';
import { bucketOf, objectAt, type Layout } from './bucket-layout.ts';
import { BucketKeeper, type GivenBucket } from './bucket-handoff.ts';
import type { EdgeSocket, SocketAttachment } from './edge-socket.ts';
import type { Env } from './env.ts';
import type { HibernatingRegistry } from './hibernating-registry.ts';
import type { ShardMailbox } from './shard-mailbox.ts';
import { DurableObjectSqlDb } from './sql-db.ts';

/** The close code a client gets when its uid's bucket moves to another object: "service restart", so it reconnects. */
export const movedCloseCode = 1012;

/** What the handoff needs of the object it runs in. */
export interface HandoffParts {
  ctx: DurableObjectState;
  env: Env;
  hub: Hub<EdgeSocket>;
  registry: HibernatingRegistry;
  mailbox: ShardMailbox;
  schedule: AlarmSchedule;
}

/** The bucket keeper of one PushHub, wired to its peers, its sockets and its mailbox. */
export function hubHandoff({ ctx, env, hub, registry, mailbox, schedule }: HandoffParts): BucketKeeper {
  return new BucketKeeper(new DurableObjectSqlDb(ctx.storage), {
    // RPC types do not keep tuples; the rows arrive as they were given.
    give: (index, bucket, layout) => objectAt(env.PUSH_HUB, index).giveBucket(bucket, layout) as unknown as Promise<GivenBucket>,
    forget: (index, bucket, version) => objectAt(env.PUSH_HUB, index).forgetBucket(bucket, version),
    leave: (bucket) => {
      for (const ws of ctx.getWebSockets()) {
        const uid = (ws.deserializeAttachment() as SocketAttachment | null)?.uid;
        if (uid === undefined || bucketOf(uid) !== bucket) continue;
        hub.disconnect(registry.socketOf(ws));
        ws.close(movedCloseCode, 'this uid moved to another shard: reconnect');
      }
    },
    changed: (rows) => {
      const next = mailbox.adopt(rows.uids);
      return next === undefined ? undefined : schedule.atMost(next);
    },
  });
}

/** The header that carries the layout a WebSocket upgrade was routed by, from the Worker to the object. */
export const layoutHeader = 'x-pushport-layout';
/** The status of an upgrade routed by an outdated layout: the Worker reads the layout and routes it again. */
export const misdirected = 421;

/**
 * Takes over the bucket of the uid an upgrade names before its socket is accepted, so that its backlog comes from
 * rows that are here. Answers 421 when a later layout owns the uid elsewhere; undefined to go on.
 */
export async function admitUpgrade(keeper: BucketKeeper, request: Request): Promise<Response | undefined> {
  const layout = request.headers.get(layoutHeader);
  const uid = new URL(request.url).searchParams.get('uid');
  if (layout === null || uid === null) return undefined;
  try {
    await keeper.admit([uid], JSON.parse(layout) as Layout);
    return undefined;
  } catch (error) {
    return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: misdirected });
  }
}
