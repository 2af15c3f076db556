import type { SocketAttachment } from './edge-socket.ts';

/** When a socket was last heard from: its last auto-answered `ping`, or else when it connected. */
export function lastHeard(ctx: DurableObjectState, ws: WebSocket): number {
  const pinged = ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
  const since = (ws.deserializeAttachment() as SocketAttachment | null)?.since ?? 0;
  return Math.max(pinged, since);
}

/**
 * Closes every socket not heard from within `timeoutMs` and returns when the next one would go idle
 * (undefined when no socket is left to watch).
 */
export function sweepIdle(ctx: DurableObjectState, now: number, timeoutMs: number, drop: (ws: WebSocket) => void): number | undefined {
  let next: number | undefined;
  for (const ws of ctx.getWebSockets()) {
    const due = lastHeard(ctx, ws) + timeoutMs;
    if (due <= now) drop(ws);
    else next = Math.min(next ?? due, due);
  }
  return next;
}
