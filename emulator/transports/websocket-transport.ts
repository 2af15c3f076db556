import type { Socket } from 'node:net';
import { log } from '../log.ts';
import type { TcpConnection, Transport } from '../tcp-connection.ts';
import { corkForTick } from '../tick-cork.ts';
import { FrameReceiver } from '../websocket/frame-receiver.ts';
import { encodeClose, encodeFrame, Opcode } from '../websocket/frame-writer.ts';

// How long a closing socket waits for the peer's half of the close before it is cut.
const CLOSE_TIMEOUT_MS = 5000;

// The last text message framed and its frame: a broadcast, or a push to several tabs, is framed once.
let lastMessage: string | undefined;
let lastFrame: Buffer | undefined;

function textFrame(message: string): Buffer {
  if (message !== lastMessage) {
    lastFrame = encodeFrame(Opcode.text, message);
    lastMessage = message;
  }
  return lastFrame!;
}

/** A WebSocket transport's heartbeat state, read by the worker's heartbeat sweep. */
export interface WebSocketLiveness {
  /** Heard from since the last ping. */
  alive: boolean;
  /** Sends a ping frame. */
  ping(): void;
  /** Cuts the connection at once. */
  cut(): void;
}

/**
 * An open WebSocket (after our 101): frames in through the receiver, frames out as single buffers corked per
 * tick. `watch` is told of each transport so the heartbeat can see it.
 */
export function websocketTransport(socket: Socket, head: Buffer, watch: (live: WebSocketLiveness, socket: Socket) => void): (connection: TcpConnection) => Transport {
  return (connection) => {
    // node:http's request timeouts are for requests; an open WebSocket lives as long as it is heard from.
    socket.setTimeout(0);
    let closeSent = false;
    const send = (frame: Buffer) => {
      corkForTick(socket);
      socket.write(frame);
    };
    const closeWith = (code: number, reason: string) => {
      if (!closeSent) {
        closeSent = true;
        send(code === 1005 ? encodeFrame(Opcode.close, Buffer.alloc(0)) : encodeClose(code, reason));
      }
      socket.end();
      setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS).unref();
    };
    const live: WebSocketLiveness = { alive: true, ping: () => send(encodeFrame(Opcode.ping, '')), cut: () => socket.destroy() };
    const receiver = new FrameReceiver(connection, {
      message: (data) => {
        live.alive = true;
        connection.deliver(data);
      },
      ping: (payload) => {
        live.alive = true;
        if (!closeSent) send(encodeFrame(Opcode.pong, payload));
      },
      pong: () => (live.alive = true),
      // Through the connection, so it is 'closing' at once: a push to a client that has begun to close is
      // not counted as delivered.
      close: (code) => connection.closeWithCode(code, ''),
      fail: (code, reason) => {
        log(`websocket connection ${connection.id} closed: ${reason}`);
        connection.closeWithCode(code, reason);
      },
    });
    socket.on('data', (chunk: Buffer) => receiver.push(chunk));
    watch(live, socket);
    if (head.length > 0) queueMicrotask(() => receiver.push(head));
    return {
      encode: (data) => (Buffer.isBuffer(data) ? encodeFrame(Opcode.binary, data) : textFrame(typeof data === 'string' ? data : String(data))),
      write: send,
      close: closeWith,
      pause: () => socket.pause(),
      resume: () => socket.resume(),
    };
  };
}
