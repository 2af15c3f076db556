import { NO_GROUPS, type GroupTarget } from '../groups/group-target.ts';
import { refusal, type PushAnswer } from '../hub/push-answer.ts';
import type { PushTarget } from '../hub/push-target.ts';
import type { GroupPushParse, UidPushParse } from '../wire/push-message.ts';

// A group push that fails (a store error, shards that did not answer) is that line's refusal: the lines before
// it were delivered, and their answers are owed.
async function groupAnswer(groups: GroupTarget, push: GroupPushParse): Promise<PushAnswer> {
  try {
    return await groups.pushGroup(push);
  } catch (error) {
    return refusal(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Delivers a batch that has group pushes among its uid pushes, in line order: each run of uid pushes goes as
 * one pushMany, each group push on its own after the run before it was answered. One answer per push, in order.
 */
export async function pushMixed(target: PushTarget, groups: GroupTarget | undefined, pushes: readonly (UidPushParse | GroupPushParse)[]): Promise<PushAnswer[]> {
  const answers: PushAnswer[] = [];
  for (let at = 0; at < pushes.length;) {
    const push = pushes[at]!;
    if (push.group !== undefined) {
      answers.push(groups ? await groupAnswer(groups, push) : refusal(NO_GROUPS));
      at++;
      continue;
    }
    let end = at;
    while (end < pushes.length && pushes[end]!.group === undefined) end++;
    const run = pushes.slice(at, end) as UidPushParse[];
    answers.push(...(await target.pushMany(run.map(({ ok: _, ...uidPush }) => uidPush))));
    at = end;
  }
  return answers;
}
