import { createHttpAcceptor } from './protocols/http.ts';
import { getProtocol } from './protocols/registry.ts';
import type { Protocol } from './protocols/types.ts';
import { createWebSocketAcceptor, type Acceptor } from './websocket/server.ts';
import { TcpConnection } from './tcp-connection.ts';
import { framedTransport } from './transports/framed-transport.ts';
import type { Worker } from './worker.ts';

/** Picks how a worker serves accepted sockets: ws or node:http for those schemes, else our framing loop. */
export function createAcceptor(worker: Worker, protocol: string | Protocol | null): Acceptor {
  if (protocol === 'websocket') return createWebSocketAcceptor(worker);
  if (protocol === 'http') return createHttpAcceptor(worker);
  // Resolve the name now, so an unknown protocol fails at listen() and not at the first client.
  const framed = typeof protocol === 'string' ? getProtocol(protocol) : protocol;
  return (socket) => void new TcpConnection(worker, socket, framedTransport(socket, framed));
}
