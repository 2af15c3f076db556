/**
 * What a pushport server refused, or why it could not be reached: `status` is the HTTP status (0 when no
 * answer came) and `reason` the server's own words, so a caller can branch on one and log the other.
 */
export class PushportError extends Error {
  /** The HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The server's reason (its `error` field), or the network failure. */
  readonly reason: string;

  /** `message` defaults to the status and reason; a refused line of a batch is told by its reason alone. */
  constructor(status: number, reason: string, message?: string) {
    super(message ?? (status === 0 ? `pushport unreachable: ${reason}` : `pushport answered ${status}: ${reason}`));
    this.name = 'PushportError';
    this.status = status;
    this.reason = reason;
  }
}
