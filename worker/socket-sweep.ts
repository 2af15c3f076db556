import type { SocketAttachment } from './edge-socket.ts';

/** When a socket was last heard from: its last auto-answered `ping`, or else when it connected. */
export function lastHeard(ctx: DurableObjectState, ws: WebSocket): number {
  const pinged = ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
  const since = (ws.deserializeAttachment() as SocketAttachment | null)?.since ?? 0;
  return Math.max(pinged, since);
}

/** The two deadlines a socket can miss, in ms (0 = not watched). */
export interface SweepTimeouts {
  /** IDLE_TIMEOUT_SECONDS: no `ping` for this long. */
  idleMs: number;
  /** IDENTIFY_TIMEOUT_SECONDS: no uid this long after connecting. */
  identifyMs: number;
}

/** Why a sweep closes a socket. */
export type SweepReason = 'idle' | 'unidentified';

/**
 * Closes (through `drop`) every socket that missed a deadline and returns when the next one is due (undefined
 * when none is left to watch). It reads only attachments and runtime timestamps, so it works after hibernation.
 */
export function sweepSockets(ctx: DurableObjectState, now: number, timeouts: SweepTimeouts, drop: (ws: WebSocket, why: SweepReason) => void): number | undefined {
  let next: number | undefined;
  const watch = (due: number) => (next = Math.min(next ?? due, due));
  for (const ws of ctx.getWebSockets()) {
    const attachment = ws.deserializeAttachment() as SocketAttachment | null;
    if (timeouts.identifyMs > 0 && attachment?.uid === undefined) {
      const due = (attachment?.since ?? 0) + timeouts.identifyMs;
      if (due <= now) {
        drop(ws, 'unidentified');
        continue;
      }
      watch(due);
    }
    if (timeouts.idleMs > 0) {
      const due = lastHeard(ctx, ws) + timeouts.idleMs;
      if (due <= now) drop(ws, 'idle');
      else watch(due);
    }
  }
  return next;
}
