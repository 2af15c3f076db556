import { checkUid } from '../wire/uid.ts';
import { verifyClientToken } from './client-token.ts';

/** What a connecting client brought in its URL. */
export interface ConnectParams {
  uid?: string;
  token?: string;
}

/** The uid a client connects as (none: it will send it as its first message), or why it is refused. */
export type ConnectDecision = { uid?: string } | { status: 400 | 401; error: string };

/**
 * Decides who a client is before its socket is accepted. With a client secret configured (signed mode)
 * the uid comes only from a valid `?token=`; otherwise from `?uid=` or, later, the first message.
 */
export async function decideConnect(params: ConnectParams, options: { clientSecret?: string; maxUidBytes: number }): Promise<ConnectDecision> {
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
