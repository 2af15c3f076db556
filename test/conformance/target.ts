/** One running pushport the conformance cases are pointed at. */
export interface ConformanceTarget {
  /** Base URL of the HTTP push API (http://127.0.0.1:port). */
  httpUrl: string;
  /** WebSocket URL clients connect to. */
  wsUrl: string;
  /** The publisher token it was started with. */
  token: string;
  /** The raw text push port, where this target has one. */
  textPort?: { host: string; port: number };
  /** Stops it and everything it started. */
  stop(): Promise<void>;
}
