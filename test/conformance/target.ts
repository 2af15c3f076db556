/** One running pushport the conformance cases are pointed at. */
export interface ConformanceTarget {
  /** Base URL of the HTTP push API (http://127.0.0.1:port). */
  httpUrl: string;
  /** WebSocket URL clients connect to. */
  wsUrl: string;
  /** The publisher token it was started with. */
  token: string;
  /** Set when the target runs in signed mode (CLIENT_SECRET): clients connect with a token signed with it. */
  clientSecret?: string;
  /** The raw text push port, where this target has one. */
  textPort?: { host: string; port: number };
  /** Stops it and everything it started. */
  stop(): Promise<void>;
}

/** The settings every target runs the cases with: small limits, so the cases can reach them. */
export const CONFORMANCE_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  PUSH_TOKEN: 'conf-token',
  MAX_MESSAGE_BYTES: '4096',
  MAX_CONNECTIONS_PER_UID: '3',
  MAX_QUEUED_PER_UID: '3',
  MAX_QUEUED_TOTAL: '12',
  MAX_RETAINED_PER_UID: '3',
  IDEMPOTENCY_SECONDS: '3',
  MAX_GROUPS_PER_UID: '3',
  MAX_GROUP_MEMBERS: '5',
});
