import { isRefusal, QUEUED, type PushAnswer } from '../hub/push-answer.ts';
import type { PushTarget } from '../hub/push-target.ts';
import { groupAnswer, type GroupPush } from './group-target.ts';

/**
 * A group push with a ttl or an id, made a stored push to each member but `except`, each through the member's
 * own store (its queue, seq and ids), and answered as one (groupAnswer).
 */
export async function pushToEachMember(members: readonly string[], push: GroupPush, target: Pick<PushTarget, 'push'>): Promise<PushAnswer> {
  const options = { ttl: push.ttl, id: push.id };
  const answers = await Promise.all(members.filter((uid) => uid !== push.except).map((uid) => target.push(uid, push.message, options)));
  let delivered = 0;
  let queued = false;
  let refused: string | undefined;
  for (const answer of answers) {
    if (isRefusal(answer)) refused ??= answer.refused;
    else if (answer === QUEUED) queued = true;
    else delivered += answer;
  }
  return groupAnswer(delivered, queued, refused);
}
