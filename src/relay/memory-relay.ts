import type { Hub } from '../hub/hub.ts';
import type { PushSocket } from '../hub/push-socket.ts';
import { answerHubRequest, type AnswerOf, type HubRequest, type Relay } from './hub-request.ts';

/** Several hubs in one process, relayed to each other directly: for tests and single-process setups. */
export class MemoryRelay<S extends PushSocket = PushSocket> {
  private readonly hubs: Hub<S>[];

  constructor(hubs: Hub<S>[]) {
    this.hubs = hubs;
  }

  /** The relay as seen from one hub: it asks all the others. */
  from(hub: Hub<S>): Relay {
    const others = () => this.hubs.filter((h) => h !== hub);
    return {
      peers: this.hubs.length - 1,
      ask: async <R extends HubRequest>(request: R) =>
        others().map((h) => answerHubRequest(h, request) as AnswerOf<R>),
    };
  }
}
