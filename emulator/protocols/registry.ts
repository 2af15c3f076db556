import { frame } from './frame.ts';
import { text } from './text.ts';
import type { Protocol } from './types.ts';

// websocket and http are not framed by us (ws and node:http parse them), so they are schemes, not registry entries.
const BUILT_IN_SCHEMES = new Set(['tcp', 'websocket', 'http']);
const protocols = new Map<string, Protocol>([
  ['text', text],
  ['frame', frame],
]);

/** Makes `name://host:port` use your protocol (Workerman's `Protocols\Name` class), e.g. `registerProtocol('json', …)`. */
export function registerProtocol(name: string, protocol: Protocol): void {
  const key = name.toLowerCase();
  if (BUILT_IN_SCHEMES.has(key)) throw new Error(`protocol name "${name}" is built in and cannot be replaced`);
  for (const fn of ['input', 'decode', 'encode'] as const) {
    if (typeof protocol[fn] !== 'function') throw new TypeError(`protocol "${name}" needs an ${fn}() function`);
  }
  protocols.set(key, protocol);
}

/** The protocol for a scheme, or an error that says how to register it. */
export function getProtocol(name: string): Protocol {
  const protocol = protocols.get(name.toLowerCase());
  if (!protocol) throw new Error(`unknown protocol "${name}": register it with registerProtocol('${name}', { input, decode, encode })`);
  return protocol;
}
