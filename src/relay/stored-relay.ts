import type { PushSocket } from '../hub/push-socket.ts';
import { refusal, type PushAnswer } from '../hub/push-answer.ts';
import type { StoredPush } from '../mailbox/mailbox.ts';
import { homeOf } from './home-of.ts';
import { nowOrLater } from './now-or-later.ts';
import { answerFrame, answerOf, frame, FrameType, messageText, type RelayFrame } from './relay-frame.ts';
import type { RelayNode } from './relay-node.ts';

/*
 * Stored pushes between the processes of one server (a ttl, an id, or a uid with pushport.v1 clients).
 * The uid's home stores each one (its seq comes from the shared store, in one transaction) before it is
 * delivered, then routes it as any push, with its seq, so that every process sends it to v1 clients as
 * `<seq> <message>` and a socket that has it already is not sent it twice. One process storing and sending
 * in order keeps a uid's seqs in order on every link. If the home cannot be reached (it is restarting),
 * the process the push landed in stores it itself and asks every process: the store hands out seqs
 * atomically, so nothing is lost, though that push may overtake one still on its way through the old home.
 * A client whose socket identifies reads what waits for it from the store directly (welcomeStored).
 */

// A push that crosses to its home without an id gets one of ours: if the home stores it and dies before it
// answers, the store knows it when this process stores it itself, and it is sent again with its first seq
// rather than stored twice. The NUL keeps ours apart from a backend's.
const ownIds = `\u0000${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.`;
let ownCount = 0;

/** Pushes a stored push from the process it landed in; answers a count, QUEUED or a refusal. */
export function pushStored<S extends PushSocket>(node: RelayNode<S>, uid: string, message: string,
  ttl: number | undefined, backendId: string | undefined): PushAnswer | Promise<PushAnswer> {
  const home = homeOf(uid, node.count);
  if (home === node.self) return settled(node, storeAndRoute(node, uid, message, ttl, backendId, false));
  const id = backendId ?? `${ownIds}${++ownCount}`;
  return new Promise<PushAnswer>((resolve, reject) => {
    node.outbox.request(home, FrameType.durable, ttl ?? 0, uid, withId(id, message), (value, reply) => {
      if (value === undefined) {
        // The home is down or restarting: store it here and ask every process.
        try {
          return resolve(settled(node, storeAndRoute(node, uid, message, ttl, id, true)));
        } catch (error) {
          return reject(error);
        }
      }
      resolve(node.tally.push(answerOf(value, reply)));
    });
  });
}

/** Handles the stored-push frames a peer sends: a push to store as the uid's home, or a uid's mark. */
export function receiveStored<S extends PushSocket>(node: RelayNode<S>, from: number, f: RelayFrame, current: () => boolean): void {
  const durable = node.store();
  if (f.type === FrameType.mark) return durable?.mailbox.learnMark(f.uid, f.value * 1000);
  const send = (answer: PushAnswer) => {
    if (current()) node.outbox.reply(from, answerFrame(f.id, answer));
  };
  if (!durable) return send(refusal('this process cannot store pushes'));
  const { id, message } = splitId(messageText(f.message));
  // A store that fails answers as a refusal: the origin learns why, and nothing was taken.
  const refuse = (error: unknown) => send(refusal(error instanceof Error ? error.message : String(error)));
  try {
    const result = storeAndRoute(node, f.uid, message, f.value || undefined, id, false);
    if (result instanceof Promise) result.then(send, refuse);
    else send(result);
  } catch (error) {
    refuse(error);
  }
}

/**
 * A socket of `uid` just identified here: marks the uid for a v1 client (and tells the peers), then sends
 * what the store holds for it (its queue, or everything after `since`) before anything live. A v1 socket's
 * live pushes wait in the hub meanwhile (its resume window). Here it is registered at once; in another
 * process it is registered once the uid's home has this process's "here" (see below), and only then is its
 * backlog read: a push the home stores before that is in the backlog, one it stores after is routed here.
 */
export function welcomeStored<S extends PushSocket>(node: RelayNode<S>, socket: S, uid: string, since: number | undefined): void {
  // A v1 client needs the store; a plain one only if it is open (see push-server: opened once anything is stored).
  const mailbox = (socket.v1 ? node.store() : node.durable)?.mailbox;
  if (!mailbox) return node.hub.sendBacklog(socket, []);
  if (socket.v1 && mailbox.mark(uid)) {
    const until = Math.ceil(mailbox.markedUntil(uid) / 1000);
    for (const peer of node.peers) node.outbox.post(peer, frame(FrameType.mark, 0, until, uid));
  }
  const read = () => {
    // Closed meanwhile: its queue stays for the next client.
    if (node.hub.registry.uidOf(socket) !== uid) return;
    let backlog: StoredPush[] = [];
    try {
      backlog = mailbox.backlog(uid, socket.v1 ? since : undefined);
    } finally {
      // A store that fails still ends the resume window: what came live is sent, and the error goes on.
      node.hub.sendBacklog(socket, backlog, socket.v1 ? since : undefined);
    }
  };
  const home = homeOf(uid, node.count);
  if (!socket.v1 || home === node.self) return read();
  // A tick's presence goes before its requests on the one ordered link, so the home answers this only once it
  // has this process's "here" for the uid. A home that is down answers nothing: the pushes are then stored by
  // the processes they land in, which send them to every process, this one included. A home that answers but
  // cannot reach this process yet (one of the two has just started) queues what it stores meanwhile: the
  // backlog is read once it can.
  node.outbox.request(home, FrameType.online, 0, uid, '', (value) => (value === undefined ? read() : node.whenReachedBy(home, read)));
}

// Stores the push (or finds the answer of its id) and routes it with its seq; no process has delivered it yet.
function storeAndRoute<S extends PushSocket>(node: RelayNode<S>, uid: string, message: string,
  ttl: number | undefined, id: string | undefined, everyone: boolean): PushAnswer | Promise<PushAnswer> {
  return node.durable!.push(uid, message, ttl, id, (seq) =>
    nowOrLater((done) => node.route(uid, message, -1, true, done, seq, everyone)));
}

// A stored push's id travels in front of its message, `<length>:<id>`, or `-` when it has none.
function withId(id: string | undefined, message: string): string {
  return id === undefined ? `-${message}` : `${id.length}:${id}${message}`;
}

function splitId(text: string): { id: string | undefined; message: string } {
  if (text.startsWith('-')) return { id: undefined, message: text.slice(1) };
  const colon = text.indexOf(':');
  const end = colon + 1 + Number(text.slice(0, colon));
  return { id: text.slice(colon + 1, end), message: text.slice(end) };
}

function settled<S extends PushSocket>(node: RelayNode<S>, answer: PushAnswer | Promise<PushAnswer>): PushAnswer | Promise<PushAnswer> {
  return answer instanceof Promise ? answer.then((a) => node.tally.push(a)) : node.tally.push(answer);
}
