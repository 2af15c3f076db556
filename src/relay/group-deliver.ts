import { decodeUidList, encodeUidList } from './relay-frame.ts';

const NONE: readonly string[] = [];

/** A `groupDeliver` frame's `uid` and `value`: the group's name, then the uids left out as a list (see relay-frame.ts). */
export function groupDeliverField(group: string, skip: readonly string[]): { uid: string; value: number } {
  return skip.length === 0 ? { uid: group, value: 0 } : { uid: group + encodeUidList(skip), value: group.length + 1 };
}

/** The group a `groupDeliver` frame names (its list is read only where a member is online, see skipOf). */
export function groupOf(uid: string, value: number): string {
  return value === 0 ? uid : uid.slice(0, value - 1);
}

/** The uids a `groupDeliver` frame leaves out. */
export function skipOf(uid: string, value: number): readonly string[] {
  return value === 0 ? NONE : decodeUidList(uid.slice(value - 1));
}
