import type { EdgePlatform } from './edge-platform.ts';
import { broadcastLevels, ModelError, shardsTouched } from './scale-model.ts';

/** One push to a group, and the deployment it is made on. */
export interface GroupLoad {
  members: number;
  /** The share of members with a live connection, from 0 to 1. */
  onlineShare: number;
  /** Connections per online member. */
  tabs: number;
  /** A ttl or an id: every member's push is stored (offline ones queued), as a uid push with a ttl is. */
  stored: boolean;
  /** The objects the uids are spread over. */
  shards: number;
}

/** What one group push costs and takes, by the design of worker/group-home.ts. */
export interface GroupPushFigures {
  /** Objects that hold at least one member, on average: the only ones a push calls. */
  objectsWithMembers: number;
  workerInvocations: number;
  /** The group's home, plus every object with members but the home itself (it serves its own in place). */
  objectRequests: number;
  /** What the same push would cost if it went to every object instead (a fan-out with no index). */
  objectRequestsToEveryObject: number;
  /** Rounds of calls from the home to the last object with members. */
  levels: number;
  /** From the Worker receiving the push to the last frame leaving the fullest object. */
  ms: number;
  /** Object time, all objects together (what duration is billed for, beside the home's wait). */
  objectMs: number;
  rowsRead: number;
  rowsWritten: number;
  /** USD, marginal. */
  cost: number;
}

const BUCKETS = 16384;
// Rows a stored member push reads and writes: its seq counter, the push itself, the queue and retention checks.
const STORED_ROWS_READ = 3;
const STORED_ROWS_WRITTEN = 2;

/** Throws ModelError unless the group load is one the model can describe. */
function checkGroupLoad(g: GroupLoad): void {
  if (!Number.isInteger(g.members) || g.members < 1) throw new ModelError(`group members must be a whole number ≥ 1, got ${g.members}`);
  if (!(g.onlineShare >= 0 && g.onlineShare <= 1)) throw new ModelError(`the online share must be from 0 to 1, got ${g.onlineShare}`);
  if (!(g.tabs >= 1)) throw new ModelError(`tabs must be ≥ 1, got ${g.tabs}`);
  if (!Number.isInteger(g.shards) || g.shards < 1) throw new ModelError(`shards must be a whole number ≥ 1, got ${g.shards}`);
}

/**
 * A push to a group on the edge: the Worker calls the group's home, which reads its index (members per uid bucket)
 * and calls the objects that own those buckets, through the fan-out tree past FAN_OUT; each one pushes to its own
 * members as a uid push goes. Members are spread evenly over the objects by their uid's bucket.
 */
export function modelGroupPush(g: GroupLoad, p: EdgePlatform): GroupPushFigures {
  checkGroupLoad(g);
  const touched = shardsTouched(g.members, g.shards);
  // The home holds members itself with the chance that any one object does: it serves those without a call.
  const calls = touched * (1 - 1 / g.shards);
  const levels = broadcastLevels(Math.max(1, calls), p.subrequestsPerInvocation);
  const perMemberUs = p.groupMemberUs + g.onlineShare * g.tabs * (1e6 / p.objectSendsPerSec) + (g.stored ? p.storedMemberUs : 0);
  const fullestMs = (g.members / touched) * perMemberUs / 1000;
  const objectMs = g.members * perMemberUs / 1000;
  const ms = p.hopMs + (calls > 0 ? levels * p.hopMs : 0) + fullestMs;
  const indexRows = BUCKETS * (1 - (1 - 1 / BUCKETS) ** g.members);
  const rowsRead = indexRows + g.members + (g.stored ? STORED_ROWS_READ * g.members : 0);
  // The home's count of group pushes, and each member's stored push.
  const rowsWritten = 1 + (g.stored ? STORED_ROWS_WRITTEN * g.members : 0);
  // Billed duration: every object's work, the home awake while it waits for the fan-out, and (stored) the 1 s each
  // object stays awake to write its counters.
  const awakeSec = objectMs / 1000 + ms / 1000 + (g.stored ? touched * p.awakeAfterRequestSec : 0);
  const cost = (p.workerRequestPrice + p.workerCpuMsPerRequest * p.workerCpuMsPrice) / 1e6
    + (1 + calls) * p.objectRequestPrice / 1e6
    + awakeSec * p.objectGb * p.objectGbSecondPrice / 1e6
    + rowsRead * p.rowReadPrice / 1e6 + rowsWritten * p.rowWritePrice / 1e6;
  return {
    objectsWithMembers: touched, workerInvocations: 1, objectRequests: 1 + calls, objectRequestsToEveryObject: 1 + g.shards,
    levels, ms, objectMs, rowsRead, rowsWritten, cost,
  };
}
