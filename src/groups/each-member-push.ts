import { isRefusal, QUEUED, type PushAnswer } from '../hub/push-answer.ts';
import type { PushTarget } from '../hub/push-target.ts';
import type { GroupPush } from './group-target.ts';

/**
 * A group push with a ttl or an id, made a stored push to each member but `except`, each through the member's
 * own store (its queue, seq and ids), and answered as one: the connections reached; QUEUED when none were but
 * some member got it queued; else the first refusal (every member's queue was full), or 0.
 */
export async function pushToEachMember(members: readonly string[], push: GroupPush, target: Pick<PushTarget, 'push'>): Promise<PushAnswer> {
  const options = { ttl: push.ttl, id: push.id };
  const answers = await Promise.all(members.filter((uid) => uid !== push.except).map((uid) => target.push(uid, push.message, options)));
  let delivered = 0;
  let queued = false;
  let refused: PushAnswer | undefined;
  for (const answer of answers) {
    if (isRefusal(answer)) refused ??= answer;
    else if (answer === QUEUED) queued = true;
    else delivered += answer;
  }
  return delivered > 0 ? delivered : queued ? QUEUED : refused ?? 0;
}
