import type { PushportCloseInfo, PushportSocket, PushportSocketState, SeqGap } from '../../src/client/index.ts';

/** Everything a PushportSocket emitted, in order, for a test to assert on. */
export interface SocketRecord {
  messages: [string, number | undefined][];
  closes: PushportCloseInfo[];
  gaps: SeqGap[];
  states: PushportSocketState[];
  opens: number;
}

/** Subscribes to every event of `client` and records it. */
export function record(client: PushportSocket): SocketRecord {
  const seen: SocketRecord = { messages: [], closes: [], gaps: [], states: [], opens: 0 };
  client.on('message', (data, seq) => seen.messages.push([data, seq]));
  client.on('close', (info) => seen.closes.push(info));
  client.on('gap', (gap) => seen.gaps.push(gap));
  client.on('state', (state) => seen.states.push(state));
  client.on('open', () => seen.opens++);
  return seen;
}
