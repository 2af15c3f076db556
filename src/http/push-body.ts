import type { PushOptions } from '../wire/push-message.ts';

/** A push's message: the exact JSON text the clients receive (it names its uid), or an object to send with `uid` added. */
export type PushMessage = string | Record<string, unknown>;

/**
 * The body of a push: a string as-is (exactly what clients receive, so it carries its own ttl and id), an
 * object as JSON with its uid (refused if it names another one) and the options.
 */
export function pushBody(uid: string, message: PushMessage, options?: PushOptions): string {
  if (typeof message === 'string') return message;
  if ('uid' in message && String(message.uid) !== uid) {
    throw new TypeError(`push to "${uid}" carries uid "${String(message.uid)}": leave uid out of the object or make them agree`);
  }
  const extra: PushOptions = {};
  if (options?.ttl !== undefined) extra.ttl = options.ttl;
  if (options?.id !== undefined) extra.id = options.id;
  return JSON.stringify({ uid, ...message, ...extra });
}

/** What a group push may ask for besides a uid push's options: a member that does not get it. */
export interface GroupPushOptions extends PushOptions {
  except?: string;
}

/** The body of a group push: a string as-is; an object as JSON with its group (refused if it names a uid or another group). */
export function groupPushBody(group: string, message: PushMessage, options?: GroupPushOptions): string {
  if (typeof message === 'string') return message;
  if ('uid' in message) throw new TypeError(`push to group "${group}" carries a uid: a message with a uid is a push to that uid`);
  if ('group' in message && message.group !== group) {
    throw new TypeError(`push to group "${group}" carries group "${String(message.group)}": leave group out of the object or make them agree`);
  }
  const extra: GroupPushOptions = {};
  if (options?.except !== undefined) extra.except = options.except;
  if (options?.ttl !== undefined) extra.ttl = options.ttl;
  if (options?.id !== undefined) extra.id = options.id;
  return JSON.stringify({ group, ...message, ...extra });
}
