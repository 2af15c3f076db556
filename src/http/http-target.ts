import type { GroupPush } from '../groups/group-target.ts';
import { PushportClient, type PushportClientOptions } from './pushport-client.ts';
import { PushportError } from './pushport-error.ts';

/** Where a remote pushport is and how to reach it. */
export type HttpTargetOptions = Omit<PushportClientOptions, 'batch'>;

/**
 * A remote pushport's HTTP API as a push target, for the bridge: the server SDK with batching always on,
 * so the lines of one read go as one `/push/batch` and a pipelined stream keeps its order.
 */
export class HttpTarget extends PushportClient {
  constructor(options: HttpTargetOptions) {
    super({ ...options, batch: true });
  }

  /** A group line of the text port, sent upstream as it is, in line with the uid pushes. */
  pushGroup(push: GroupPush): Promise<number> {
    return this.pushToGroup(push.group, push.message);
  }

  // The bridge's backends see the deployment as the upstream of their text port.
  protected override refusal(status: number, reason: string): PushportError {
    return new PushportError(status, reason, status === 0 ? `upstream unreachable: ${reason}` : `upstream ${status}: ${reason}`);
  }
}
