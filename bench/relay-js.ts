/**
 * `node bench/relay-js.ts [rounds]`: the JavaScript part of a crossing push, in one process. Two relay nodes
 * talk through the real frame encoding over in-memory links (test/src/relay/memory-relay.ts); process 1 holds
 * 1,000 uids and process 0 pushes to them, 50 pushes per turn of the event loop, answered through the same
 * sinks the text port uses. No socket, no kernel, no second process: what is left of a crossing's cost in
 * `npm run bench` once this is taken out is Node's socket paths and the processes sharing a core.
 */
import { Hub } from '../src/hub/hub.ts';
import type { PushSocket } from '../src/hub/push-socket.ts';
import type { AnswerSink } from '../src/hub/push-target.ts';
import { MemoryRegistry } from '../src/hub/registry.ts';
import { defaultLimits } from '../src/limits.ts';
import { MemoryRelay } from '../test/src/relay/memory-relay.ts';

const UIDS = 1_000;
const PER_TURN = 50;
const WARMUP_TURNS = 1_000;
const TURNS = Math.max(1, Math.min(1_000_000, Number(process.argv[2] ?? 8_000) || 8_000));

// A socket that takes every frame and keeps none, so the figure is the relay's, not a test double's memory.
class NullSocket implements PushSocket {
  private static next = 0;
  readonly id = `s${NullSocket.next++}`;
  send(): boolean {
    return true;
  }
  close(): void {}
}

const hubs = [0, 1].map(() => new Hub<NullSocket>(new MemoryRegistry(), defaultLimits));
const relay = new MemoryRelay(hubs);
for (let i = 0; i < UIDS; i++) {
  const socket = new NullSocket();
  hubs[1]!.connect(socket);
  hubs[1]!.receive(socket, `u${i}`);
}
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
await turn();

let answered = 0;
const sink: AnswerSink = { settle: () => void answered++ };
const message = '{"uid":"u1","percent":"88%","t":1796445690307}';
async function pushTurns(turns: number): Promise<void> {
  for (let t = 0; t < turns; t++) {
    for (let i = 0; i < PER_TURN; i++) {
      if (relay.targets[0]!.pushTo(`u${(t * PER_TURN + i) % UIDS}`, message, undefined, sink, i) !== undefined) answered++;
    }
    await turn();
  }
}

await pushTurns(WARMUP_TURNS);
const [before, answeredBefore, sentBefore] = [process.cpuUsage(), answered, relay.sent];
await pushTurns(TURNS);
const used = process.cpuUsage(before);
const pushes = answered - answeredBefore;
if (pushes !== TURNS * PER_TURN) throw new Error(`${TURNS * PER_TURN - pushes} pushes were never answered`);
console.log(JSON.stringify({
  scenario: 'relay-js', crossingPushes: pushes, relayBuffers: relay.sent - sentBefore,
  cpuPerCrossingPushNs: Math.round(((used.user + used.system) * 1000) / pushes),
}));
