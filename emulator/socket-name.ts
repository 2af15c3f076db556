import { isIP } from 'node:net';

/** A parsed `scheme://host:port` listen address. */
export interface SocketName {
  scheme: string;
  host: string;
  port: number;
}

/** Builds a listen address, bracketing an IPv6 host: `text://[::1]:5678`. */
export function formatSocketName(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Parses `text://0.0.0.0:5678` (IPv6 as `[::]:1234`); throws with the expected form on a bad address. */
export function parseSocketName(name: string): SocketName {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^:/]+):(\d+)$/i.exec(name);
  if (!match) throw new Error(`bad listen address "${name}": expected scheme://host:port, e.g. text://127.0.0.1:5678`);
  const [, scheme = '', rawHost = '', port = ''] = match;
  let host = rawHost.replace(/^\[|\]$/g, '');
  // Binding needs an IP literal; the one name people use everywhere is mapped rather than resolved.
  if (host === 'localhost') host = '127.0.0.1';
  if (!isIP(host)) throw new Error(`bad listen address "${name}": host must be an IP address such as 0.0.0.0 or 127.0.0.1`);
  const portNumber = Number(port);
  if (portNumber > 65535) throw new Error(`bad listen address "${name}": port must be 0-65535`);
  return { scheme: scheme.toLowerCase(), host, port: portNumber };
}
