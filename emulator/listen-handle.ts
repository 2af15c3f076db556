import net from 'node:net';
import { constants } from 'node:os';
// A namespace import: getSystemErrorMessage is newer than Node 20, where we must still load far enough to say
// which Node we need.
import * as util from 'node:util';
import type { SocketName } from './socket-name.ts';

/** A bound TCP socket handle as Node's net module creates it; it can travel to a child with `child.send(msg, handle)`. */
export interface ListenHandle {
  listen(backlog: number): number;
  close(): void;
  getsockname(out: { port?: number }): number;
}

type CreateServerHandle = (address: string, port: number, addressType: number, fd?: number, flags?: number) => ListenHandle | number;

// net._createServerHandle is what Node's own cluster module uses to bind a socket *without* listening. We need that:
// the master must own the shared socket without accepting on it, and bind errors must surface synchronously so
// `listen()` throws like Workerman's. The public API only binds and listens together, asynchronously.
const createServerHandle = (net as unknown as { _createServerHandle: CreateServerHandle })._createServerHandle;

// libuv's UV_TCP_REUSEPORT bind flag (what `server.listen({ reusePort: true })` passes down).
const UV_TCP_REUSEPORT = 2;
const BACKLOG = 511;
// libuv reports errors as negative errno values.
const UV_EADDRINUSE = -constants.errno.EADDRINUSE;

/** An address error whose message names the address and the OS reason, e.g. `… failed: Address already in use`. */
export function listenError(name: SocketName, errno: number): Error & { code: string } {
  const reason = util.getSystemErrorMessage(errno);
  const text = `${reason.charAt(0).toUpperCase()}${reason.slice(1)}`;
  const error = new Error(`listen ${name.scheme}://${name.host}:${name.port} failed: ${text} (${util.getSystemErrorName(errno)})`);
  return Object.assign(error, { code: util.getSystemErrorName(errno) });
}

/** Binds host:port now (with SO_REUSEPORT if asked) without listening; throws a `listenError` on failure. */
export function bindHandle(name: SocketName, reusePort: boolean): ListenHandle {
  const handle = createServerHandle(name.host, name.port, net.isIP(name.host), undefined, reusePort ? UV_TCP_REUSEPORT : 0);
  if (typeof handle === 'number') throw listenError(name, handle);
  // libuv defers EADDRINUSE from bind() to listen(), but only in this process: a child that inherited the unbound
  // socket would listen on a random port. An unbound socket reports port 0, so check here.
  const bound: { port?: number } = {};
  handle.getsockname(bound);
  if (name.port !== 0 && bound.port !== name.port) {
    handle.close();
    throw listenError(name, UV_EADDRINUSE);
  }
  return handle;
}

/** Starts listening on a bound handle now; Linux reports a taken port here, so this is where EADDRINUSE throws. */
export function startListening(handle: ListenHandle, name: SocketName): void {
  const errno = handle.listen(BACKLOG);
  if (errno) throw listenError(name, errno);
}
