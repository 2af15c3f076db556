import type { BenchServer } from './bench-server.ts';
import { pause, type Deadline } from './deadline.ts';
import { measured } from './measured.ts';
import { probeField } from './probe.ts';
import { RawWsPool } from './raw-ws-pool.ts';
import { fanOut } from './scenario-broadcast.ts';
import { textBroadcaster } from './text-broadcaster.ts';

/** The one uid every tab of the scenario identifies as (no other client uses it). */
export const TABS_UID = 'tabs';
// How long one readiness probe may take to reach every tab before the next is sent.
const PROBE_WAIT_MS = 200;

/** A push line to the tabs' uid, stamped now; every tab must receive exactly this text. */
export function tabsLine(run: number, index: number): string {
  return `{"uid":"${TABS_UID}","r":${run},"b":${index},"t":${performance.now().toFixed(3)}}`;
}

// Sends run-0 probes to the uid until one reaches every tab: each tab identifies with its first message, so
// until then a push reaches only some. Bounded by the deadline.
async function everyTabIdentified(server: BenchServer, pool: RawWsPool, deadline: Deadline): Promise<boolean> {
  const sender = await textBroadcaster(server.textPort);
  const reached = new Map<number, number>();
  let wanted = -1;
  let done: (() => void) | undefined;
  pool.onMessage = (_client, payload) => {
    const probe = probeField(payload, 'b');
    const count = (reached.get(probe) ?? 0) + 1;
    reached.set(probe, count);
    if (probe === wanted && count === pool.size) done?.();
  };
  try {
    for (let probe = 0; !deadline.passed(); probe++) {
      wanted = probe;
      const all = new Promise<void>((resolve) => (done = resolve));
      await sender.send(tabsLine(0, probe), deadline.remainingMs()).catch(() => {});
      await Promise.race([all, pause(PROBE_WAIT_MS, deadline)]);
      if (reached.get(probe) === pool.size) return true;
    }
    return false;
  } finally {
    sender.close();
  }
}

/**
 * `tabs` clients of one uid, then `total` pushes to that uid through the text port, one at a time, each timed
 * until every tab has it: the fan-out of a push to a user with many tabs, with the server's CPU per socket.
 */
export async function tabsPush(server: BenchServer, tabs: number, total: number, deadline: Deadline): Promise<Record<string, unknown>> {
  const pool = await RawWsPool.open(server.port, tabs, 0, deadline, 'first-message', '/', TABS_UID);
  try {
    if (pool.open < tabs) return { tabs, opened: pool.open, firstConnectError: pool.firstError, timedOut: true };
    if (!(await everyTabIdentified(server, pool, deadline))) return { tabs, identified: false, timedOut: true };
    const fan = await measured(server, () => fanOut({ server, pool, deadline }, total, () => textBroadcaster(server.textPort), tabsLine));
    return { tabs, ...fan };
  } finally {
    pool.close();
  }
}
