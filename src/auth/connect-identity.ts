import { checkUid } from '../wire/uid.ts';
import { verifyClientToken } from './client-token.ts';

/** What a connecting client brought in its URL. */
export interface ConnectParams {
  uid?: string;
  token?: string;
  /** The last seq a pushport.v1 client received, to resume after it. */
  since?: string;
}

/** The uid a client connects as (none: it will send it as its first message), or why it is refused. */
export type ConnectDecision = { uid?: string; since?: number } | { status: 400 | 401; error: string };

/** Reads `?since=`: the last seq a client received, a whole number. */
export function parseSince(raw: string | undefined): { since?: number } | { error: string } {
  if (raw === undefined) return {};
  if (!/^\d{1,15}$/.test(raw)) return { error: 'since must be a whole number: the last seq you received' };
  return { since: Number(raw) };
}

/**
 * Decides who a client is before its socket is accepted. With a client secret configured (signed mode)
 * the uid comes only from a valid `?token=`; otherwise from `?uid=` or, later, the first message.
 */
export async function decideConnect(params: ConnectParams, options: { clientSecret?: string; maxUidBytes: number }): Promise<ConnectDecision> {
  const since = parseSince(params.since);
  if ('error' in since) return { status: 400, error: since.error };
  const decided = await decideUid(params, options);
  return 'error' in decided || since.since === undefined ? decided : { ...decided, since: since.since };
}

async function decideUid(params: ConnectParams, options: { clientSecret?: string; maxUidBytes: number }): Promise<ConnectDecision> {
  if (options.clientSecret) {
    if (!params.token) {
      return { status: 401, error: 'this server needs a signed client token: connect with ?token=<token from your backend>' };
    }
    const checked = await verifyClientToken(params.token, options.clientSecret, options.maxUidBytes);
    return 'error' in checked ? { status: 401, error: checked.error } : { uid: checked.uid };
  }
  if (params.uid === undefined) return {};
  const checked = checkUid(params.uid, options.maxUidBytes);
  return 'error' in checked ? { status: 400, error: checked.error } : { uid: checked.uid };
}
