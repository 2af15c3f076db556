import { afterEach, describe, expect, it, vi } from 'vitest';
import { catchUpOnLinkChange } from '../../../emulator/push/catch-up-on-link-change.ts';
import type { Hub } from '../../../src/hub/hub.ts';
import type { RelayNode } from '../../../src/relay/relay-node.ts';
import type { ConnectionSocket } from '../../../emulator/push/connection-socket.ts';

afterEach(() => vi.useRealTimers());

describe('catching sockets up on a peer link change', () => {
  it('runs once soon and once more a relay timeout later, however many links change at once', () => {
    vi.useFakeTimers();
    const node = {} as RelayNode<ConnectionSocket>;
    const hub = { catchUp: vi.fn() };
    catchUpOnLinkChange(node, hub as unknown as Hub<ConnectionSocket>);
    for (const peer of [1, 2, 1]) node.onLinkChange!(peer);
    expect(hub.catchUp).not.toHaveBeenCalled();
    vi.advanceTimersToNextTimer();
    expect(hub.catchUp).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1999);
    expect(hub.catchUp).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(hub.catchUp).toHaveBeenCalledTimes(2);
    // A later change starts both again.
    node.onLinkChange!(2);
    vi.runAllTimers();
    expect(hub.catchUp).toHaveBeenCalledTimes(4);
  });
});
