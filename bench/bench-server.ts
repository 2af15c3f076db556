/** A server under test, as the scenarios see it, whichever program it is. */
export interface BenchServer {
  /** `reference`, or `pushport c<count>`. */
  name: string;
  count: number;
  port: number;
  textPort: number;
  /** Keeps pushes with a ttl or an id, and those to pushport.v1 clients, in a store (pushport does; the reference has none). */
  stores: boolean;
  /** Every process of the server, found fresh each call (a respawned child has a new pid). */
  pids(): number[];
  /** The publisher token of its HTTP API, where it has one (pushport; the reference has none, nor groups). */
  token?: string;
  /** Opens whatever this server takes broadcasts through. */
  broadcaster(): Promise<Broadcaster>;
  /** Stops it; safe to call twice. */
  stop(): Promise<void>;
}

/** Sends broadcasts one at a time; `send` resolves once the server has answered. */
export interface Broadcaster {
  send(body: string, timeoutMs: number): Promise<void>;
  close(): void;
}
