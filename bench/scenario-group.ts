import { httpBroadcaster } from './http-broadcaster.ts';
import { fanOut, type FanOutContext } from './scenario-broadcast.ts';

/** The group every client of the pool joins: the group push is timed against a broadcast to the same clients. */
const GROUP = 'bench-room';

/**
 * `total` pushes to a group whose members are every client of the pool (uids u0…u(N−1), joined first, 1,000 per
 * request), each timed from its stamp until every member has it, exactly as a broadcast is (see fanOut): with
 * one tab per uid, the group push and the broadcast write the same sockets, so their figures compare directly.
 */
export async function groupPush(ctx: FanOutContext, total: number): Promise<Record<string, unknown>> {
  const { server, pool } = ctx;
  const token = server.token!;
  const joins = httpBroadcaster(server.port, token, `/groups/${GROUP}/members`);
  try {
    for (let at = 0; at < pool.size; at += 1000) {
      const uids = Array.from({ length: Math.min(1000, pool.size - at) }, (_, i) => `u${at + i}`);
      await joins.send(JSON.stringify({ uids }), ctx.deadline.remainingMs());
    }
  } finally {
    joins.close();
  }
  const body = (run: number, b: number) => `{"group":"${GROUP}","r":${run},"b":${b},"t":${performance.now().toFixed(3)}}`;
  return { group: GROUP, ...(await fanOut(ctx, total, async () => httpBroadcaster(server.port, token, '/push'), body)) };
}
