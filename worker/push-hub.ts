import { DurableObject } from 'cloudflare:workers';
import {
  CloseCode, Hub, V1_PROTOCOL, offersV1, identifyTimeoutReason, type HubStats, type LatencyCounts, type MailboxFigures,
  type PushAnswer, type PushOptions,
} from '../src/index.ts';
import { AlarmSchedule } from './alarm-schedule.ts';
import type { Layout } from './bucket-layout.ts';
import type { BucketKeeper, GivenBucket } from './bucket-handoff.ts';
import type { EdgeSocket } from './edge-socket.ts';
import { edgeSetup } from './edge-setup.ts';
import { idleTimeoutMs, settingsFor, type Env } from './env.ts';
import type { HomeAnswers, HomeCall, HomeCallOf, MemberAnswers, MemberCall, MemberCallOf } from './group-calls.ts';
import { HibernatingRegistry } from './hibernating-registry.ts';
import { hubGroups, type HubGroups } from './hub-groups.ts';
import { admitUpgrade, hubHandoff } from './hub-handoff.ts';
import { currentLayout, proposeLayout } from './layout-registry.ts';
import type { PushColumns } from './push-columns.ts';
import { ShardCounters } from './shard-counters.ts';
import { ShardMailbox } from './shard-mailbox.ts';
import { restOf, type Gathered, type Span } from './shard-tree.ts';
import { sweepSockets, type SweepTimeouts } from './socket-sweep.ts';
import { addCounts, addFigures, appendCounts, figuresOf, type TreeFigures, type UidGroup } from './tree-answers.ts';

/**
 * One shard of connections: a Durable Object that holds its WebSockets through hibernation and serves
 * pushes to them over RPC. The Worker authenticates before anything reaches it.
 */
export class PushHub extends DurableObject<Env> {
  private readonly registry: HibernatingRegistry;
  private readonly hub: Hub<EdgeSocket>;
  /** What this shard served and the latency Worker instances measured, written at most once a second. */
  private readonly counters: ShardCounters;
  private readonly timeouts: SweepTimeouts;
  private readonly schedule: AlarmSchedule;
  private readonly mailbox: ShardMailbox;
  /** The buckets this object holds, and their handoff when the layout changes (bucket-handoff.ts). */
  private readonly buckets: BucketKeeper;
  /** The groups whose names fall in this object's buckets, and the memberships of its uids (hub-groups.ts). */
  private readonly groups: HubGroups;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime itself, so a heartbeat never wakes the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    this.registry = new HibernatingRegistry(ctx);
    // The Worker's own settings, edge caps included: a uid the Worker would refuse is refused here too.
    const { limits } = settingsFor(env);
    this.hub = new Hub(this.registry, limits);
    this.counters = new ShardCounters(ctx.storage.kv);
    this.timeouts = { idleMs: idleTimeoutMs(env), identifyMs: limits.identifyTimeoutSeconds * 1000 };
    this.schedule = new AlarmSchedule(ctx.storage);
    // Creates its tables if they are missing and reads the marked uids: no write on an ordinary wake-up.
    this.mailbox = new ShardMailbox(ctx.storage, limits, this.hub, this.counters.tally, this.schedule);
    this.buckets = hubHandoff({ ctx, env, hub: this.hub, registry: this.registry, mailbox: this.mailbox, schedule: this.schedule });
    this.groups = hubGroups({ ctx, env, hub: this.hub, keeper: this.buckets, limits, mailbox: this.mailbox, tally: this.counters.tally,
      push: (uid, m, o) => this.push(uid, m, o) });
  }

  /**
   * Accepts a WebSocket the Worker routed here; `?uid=` identifies it at once and `?since=` is where a
   * pushport.v1 client resumes.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return Response.json({ error: 'expected a WebSocket upgrade' }, { status: 426 });
    }
    const misrouted = await admitUpgrade(this.buckets, request);
    if (misrouted) return misrouted;
    const params = new URL(request.url).searchParams;
    const v1 = offersV1(request.headers.get('sec-websocket-protocol'));
    // The Worker checked ?since= already; here it only travels.
    const since = params.get('since');
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const socket = this.registry.accept(server, v1, since === null ? undefined : Number(since));
    this.hub.connect(socket);
    const uid = params.get('uid');
    if (uid !== null && this.hub.identify(socket, uid)) this.mailbox.welcome(socket, uid);
    // An alarm, not a timer per socket: it survives hibernation, and one serves every deadline.
    const waits = [this.timeouts.idleMs, uid === null ? this.timeouts.identifyMs : 0].filter((ms) => ms > 0);
    if (waits.length > 0) await this.schedule.atMost(Date.now() + Math.min(...waits));
    const headers = v1 ? { 'Sec-WebSocket-Protocol': V1_PROTOCOL } : undefined;
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /**
   * The sweep: closes sockets idle past IDLE_TIMEOUT_SECONDS or without a uid past IDENTIFY_TIMEOUT_SECONDS,
   * and drops stored pushes whose ttl or retention has passed.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const seconds = this.timeouts.identifyMs / 1000;
    const sockets = sweepSockets(this.ctx, now, this.timeouts, (ws, why) => {
      this.hub.disconnect(this.registry.socketOf(ws));
      if (why === 'unidentified') ws.close(CloseCode.policy, identifyTimeoutReason(seconds));
      else ws.close(CloseCode.goingAway, 'idle timeout: send "ping" to stay connected');
    });
    const pushes = this.mailbox.sweep(now);
    const next = Math.min(sockets ?? Infinity, pushes ?? Infinity);
    await this.schedule.fired(next === Infinity ? undefined : next);
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    const socket = this.registry.socketOf(ws);
    const uid = this.hub.receive(socket, message);
    if (uid !== undefined) this.mailbox.welcome(socket, uid);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.hub.disconnect(this.registry.socketOf(ws));
    try {
      // 1005 and 1006 only describe a close; they cannot be sent back.
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // The runtime already completed the close handshake.
    }
  }

  override webSocketError(ws: WebSocket): void {
    this.hub.disconnect(this.registry.socketOf(ws));
  }

  /**
   * Delivers to every connection of a uid held here: a count, QUEUED, or (a ttl push whose queue is full) a
   * refusal, which RPC carries to the Worker as it is.
   */
  push(uid: string, message: string, options?: PushOptions, layout?: Layout): PushAnswer | Promise<PushAnswer> {
    const taking = layout && this.buckets.admitUid(uid, layout);
    // Checked again once taken: the bucket may have moved on while the takeover waited.
    if (taking) return taking.then(() => this.push(uid, message, options, layout));
    const ttl = options?.ttl;
    const id = options?.id;
    // Most pushes are not stored: they take the hub's path, with no storage touched.
    if (!this.mailbox.needed(uid, ttl, id)) return this.counters.saved(this.counters.tally.push(this.hub.deliver(uid, message)));
    return this.counters.saved(this.mailbox.push(uid, message, ttl, id));
  }

  /** Delivers many pushes, in order, answering each as `push` does; they come as columns (push-columns.ts). */
  pushMany(batch: PushColumns, layout?: Layout): PushAnswer[] | Promise<PushAnswer[]> {
    const taking = layout && this.buckets.admit(batch.uids, layout);
    if (taking) return taking.then(() => this.pushMany(batch, layout));
    const { uids, messages, options } = batch;
    const answers = new Array<PushAnswer | Promise<PushAnswer>>(uids.length);
    let waiting = false;
    for (let i = 0; i < uids.length; i++) {
      const answer = this.push(uids[i]!, messages[i]!, options?.[i] ?? undefined);
      if (answer instanceof Promise) waiting = true;
      answers[i] = answer;
    }
    return this.counters.saved(waiting ? Promise.all(answers) : answers as PushAnswer[]);
  }

  /** Delivers to every identified connection held here. */
  broadcast(message: string): number {
    return this.counters.saved(this.counters.tally.broadcast(this.hub.deliverAll(message)));
  }

  /** A broadcast's part of the fan-out tree (shard-tree.ts): delivers here, then hands the rest of `span` on. */
  broadcastTree(message: string, span: Span, width: number): Promise<Gathered<number>> {
    return edgeSetup(this.env).target.handOn(this.broadcast(message), restOf(span), width,
      (stub, part) => stub.broadcastTree(message, part, width), addCounts);
  }

  /** The figures' part of the fan-out tree: this shard's, then those of the rest of `span`, in order. */
  figuresTree(span: Span, width: number): Promise<Gathered<TreeFigures>> {
    return edgeSetup(this.env).target.handOn(figuresOf(this.stats(), this.counters.latency, this.queueFigures(), this.groups.figures()), restOf(span), width,
      (stub, part) => stub.figuresTree(part, width), addFigures);
  }

  /** /online?uids= as part of the fan-out tree: the first group's uids are held here, the rest are handed on. */
  async onlineTree(groups: UidGroup[], width: number, layout?: Layout): Promise<Gathered<number[]>> {
    const uids = groups[0]?.uids ?? [];
    if (layout) await this.buckets.admit(uids, layout);
    return edgeSetup(this.env).target.handOnList(this.onlineMany(uids), groups.slice(1), width,
      (stub, part) => stub.onlineTree(part, width, layout), appendCounts);
  }

  /** Live connections of a uid held here. */
  async online(uid: string, layout?: Layout): Promise<number> {
    if (layout) await this.buckets.admit([uid], layout);
    return this.hub.online(uid);
  }

  /** Live connections of each uid held here, in list order. */
  onlineMany(uids: string[]): number[] {
    return uids.map((uid) => this.hub.online(uid));
  }

  /** Closes every connection of a uid held here. */
  async kick(uid: string, reason?: string, layout?: Layout): Promise<number> {
    if (layout) await this.buckets.admit([uid], layout);
    return this.hub.kick(uid, reason);
  }

  /** A call for a group whose name falls in this object's buckets: its index, limits and fan-outs (group-home.ts). */
  groupHome<K extends HomeCall['op']>(call: HomeCallOf<K>, layout: Layout, width: number): Promise<HomeAnswers[K]> {
    return this.groups.home.serve(call, layout, width);
  }

  /** A call for the memberships of uids held here, or this object's part of a group fan-out (group-shard.ts). */
  groupMember<K extends MemberCall['op']>(call: MemberCallOf<K>, layout: Layout): Promise<MemberAnswers[K]> {
    return this.groups.shard.serve(call, layout);
  }

  /** Gives a bucket's stored rows to its owner under `layout` (bucket-handoff.ts), closing its sockets here with 1012. */
  giveBucket(bucket: number, layout: Layout): GivenBucket {
    return this.buckets.give(bucket, layout);
  }

  /** The bucket's new owner wrote its copy: the rows here go. */
  forgetBucket(bucket: number, version: number): void | Promise<void> {
    return this.buckets.forget(bucket, version);
  }

  /** Object 0 keeps the layout (layout-registry.ts): a Worker instance proposes its SHARDS when it starts. */
  proposeLayout(objects: number): Layout {
    return proposeLayout(this.ctx.storage.kv, objects);
  }

  /** The layout in force, for a Worker instance told that the one it routed by is outdated. */
  currentLayout(objects: number): Layout {
    return currentLayout(this.ctx.storage.kv, objects);
  }

  /** This shard's connection counts and counters. */
  stats(): HubStats {
    return { ...this.registry.counts(), ...this.counters.tally.counters };
  }

  /** Pushes waiting for their uid here now, and the queued ones that expired unseen. */
  queueFigures(): MailboxFigures {
    return this.mailbox.figures();
  }

  /** Adds push latency that Worker instances measured (they hand it over at most once a second). */
  addLatency(measured: LatencyCounts): void {
    this.counters.addLatency(measured);
  }
}

