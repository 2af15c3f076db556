import { Socket } from 'node:net';

type Listener = (...args: never[]) => void;
type Listeners = Listener | Listener[] | undefined;
type EventTable = Record<string | symbol, Listeners>;
// EventEmitter's own fields (node:events), and what node:http leaves on a socket it read a request from.
type TableOwner = Socket & { _events: EventTable; _eventsCount: number; parser?: unknown };

/** The listeners a connection puts on its socket: `data` only when it reads the socket itself. */
export interface ConnectionListeners {
  data: Listener | undefined;
  error: Listener;
  close: Listener;
  drain: Listener;
}

/**
 * A socket's table of listeners with a connection's names in fixed slots: every connection's table shares
 * one hidden class and holds its names inline. No prototype members: no event name may find one.
 */
class ListenerTable {
  [name: string | symbol]: Listeners;

  constructor(end: Listeners, ours: ConnectionListeners) {
    this.end = end;
    this.data = ours.data;
    this.error = ours.error;
    this.close = ours.close;
    this.drain = ours.drain;
  }
}
Object.setPrototypeOf(ListenerTable.prototype, null);
Reflect.deleteProperty(ListenerTable.prototype, 'constructor');

/**
 * Adds a connection's listeners by making the socket's table of listeners anew. node:http removes its
 * listeners from an upgraded socket by leaving their names behind (six of them), and every name is a slot
 * each open connection pays for, with a second store for the names past the first few.
 */
export function listenCompactly(socket: Socket, ours: ConnectionListeners): void {
  const owner = socket as TableOwner;
  const before = owner._events;
  const table = new ListenerTable(before.end, ours);
  for (const name of Reflect.ownKeys(before)) {
    const listener = before[name];
    if (listener === undefined || name === 'end') continue;
    const mine = table[name];
    // Someone listened before us: theirs stay first, as socket.on() would have ordered them.
    table[name] = mine === undefined ? listener : [...(Array.isArray(listener) ? listener : [listener]), ...(Array.isArray(mine) ? mine : [mine])];
  }
  let count = 0;
  for (const name of Reflect.ownKeys(table)) if (table[name] !== undefined) count++;
  owner._events = table;
  owner._eventsCount = count;
  // What socket.on('data') does besides adding the listener: a stream not paused on purpose starts flowing.
  if (ours.data && socket.readableFlowing !== false) socket.resume();
  // node:http wraps these methods on each socket while its parser reads it, and puts the shared ones back on
  // the next listener added once the parser is gone: as socket.on() would have, now that none is added that way.
  if (Object.hasOwn(socket, 'on') && !owner.parser) {
    socket.on = Socket.prototype.on;
    socket.addListener = Socket.prototype.addListener;
    socket.prependListener = Socket.prototype.prependListener;
  }
}
