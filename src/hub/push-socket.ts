/** What the hub needs from one live client connection, whatever the runtime. */
export interface PushSocket {
  /** Unique within one hub; survives hibernation on the edge. */
  readonly id: string;
  /** Sends one text message; false when it did not go out (closing, closed, or over its send buffer). */
  send(message: string): boolean;
  /**
   * Sends a broadcast's one message to this socket. A runtime that holds frames to the end of a turn, to join
   * them into one write, may write this one at once when it holds nothing; without it, `send` is used.
   */
  sendNow?(message: string): boolean;
  /** Closes the connection with a WebSocket close code and a reason a person can read. */
  close(code: number, reason: string): void;
  /** Set when the client asked for `pushport.v1`: each push goes out as `<seq> <message>`. */
  v1?: boolean;
  /** The highest seq of a stored push this socket was sent, so that a push that reaches it twice goes out once. */
  lastSeq?: number;
}

/** WebSocket close codes the hub uses, so every runtime closes for the same reasons with the same codes. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  policy: 1008,
  tooBig: 1009,
  internalError: 1011,
} as const;
