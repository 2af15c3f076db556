import type { GroupFigures, GroupPush, GroupTarget } from '../../src/index.ts';

/** Groups in memory, without limits but one: a join of uid `full` is refused. Records the group pushes, and counts them as figures. */
export function memoryGroups(): GroupTarget & { pushed: GroupPush[]; figures(): GroupFigures } {
  const members = new Map<string, Set<string>>();
  const pushed: GroupPush[] = [];
  const of = (group: string) => members.get(group) ?? members.set(group, new Set()).get(group)!;
  return {
    pushed,
    join: async (group, uids) => {
      if (uids.includes('full')) return { refused: 'uid "full" is in 100 groups already (MAX_GROUPS_PER_UID is 100)' };
      const set = of(group);
      const before = set.size;
      for (const uid of uids) set.add(uid);
      return set.size - before;
    },
    leave: async (group, uid) => of(group).delete(uid),
    remove: async (group) => {
      const n = of(group).size;
      members.delete(group);
      return n;
    },
    counts: async (group) => ({ members: of(group).size, online: 0, connections: 0 }),
    members: async (group, query) => {
      const all = [...of(group)].sort().filter((uid) => query.cursor === undefined || uid > query.cursor);
      const uids = all.slice(0, query.limit);
      return all.length > query.limit ? { uids, cursor: uids.at(-1)! } : { uids };
    },
    groupsOf: async (uid) => [...members].filter(([, set]) => set.has(uid)).map(([group]) => group),
    pushGroup: (push) => (pushed.push(push), of(push.group).size),
    figures: () => ({ groups: members.size, pushes: pushed.length }),
  };
}
