/**
 * The platform figures the scale model of the edge rests on. Each is either published by Cloudflare (the page is
 * named beside it, and in docs/scale.md with the date of the copy read), measured here (marked), or chosen here
 * because nothing is published (marked). The model takes every one of them as an input, so a newer page or a
 * production measurement changes a flag, not the arithmetic.
 */
export interface EdgePlatform {
  /** Requests one Durable Object serves per second before it answers "overloaded" (published soft limit). */
  objectRequestsPerSec: number;
  /** WebSocket frames one object sends per second (not published: measured under `wrangler dev`). */
  objectSendsPerSec: number;
  /** Sockets one shard is planned to hold (not published: chosen here, see docs/scale.md). */
  socketsPerObject: number;
  /** Subrequests (Durable Object calls included) one invocation may make (published, Workers Paid default). */
  subrequestsPerInvocation: number;
  /** One Worker-to-object or object-to-object call, one way and back, in ms (not published: assumed). */
  hopMs: number;
  /** The share of each published or measured limit the model lets a shard use, so a burst has room. */
  headroom: number;
  /** Seconds pushport keeps an object awake after a request it served (its counters' write timer). */
  awakeAfterRequestSec: number;
  /** CPU ms a Worker invocation of the push API uses (not published: assumed). */
  workerCpuMsPerRequest: number;
  /** Price of a million Worker requests, USD (published, Standard usage model). */
  workerRequestPrice: number;
  /** Price of a million Worker CPU ms, USD (published). */
  workerCpuMsPrice: number;
  /** Price of a million Durable Object requests, USD (published; RPC calls and WebSocket upgrades each count one). */
  objectRequestPrice: number;
  /** Price of a million GB-s of Durable Object duration, USD (published). */
  objectGbSecondPrice: number;
  /** GB an awake object is billed for (published: 128 MB, whatever it uses). */
  objectGb: number;
  /** Incoming WebSocket messages billed as one object request (published 20:1 ratio). */
  messagesPerBilledRequest: number;
  /** Object time per member a group push reads and looks up, in µs (not published: measured here). */
  groupMemberUs: number;
  /** Object time per member a stored (ttl or id) group push stores, in µs (not published: measured here). */
  storedMemberUs: number;
  /** Price of a million SQLite rows read in a Durable Object, USD (published). */
  rowReadPrice: number;
  /** Price of a million SQLite rows written in a Durable Object, USD (published). */
  rowWritePrice: number;
}

/** The figures as read on 2026-12-04; docs/scale.md names the source of each. */
export const EDGE_PLATFORM: Readonly<EdgePlatform> = Object.freeze({
  // developers.cloudflare.com/durable-objects/platform/limits/ ("How much work can a single Durable Object do?")
  objectRequestsPerSec: 1000,
  // bench:edge, broadcast to 3,000 hibernated sockets under wrangler dev: p50 174 ms, about 17,000 frames/s; rounded down.
  objectSendsPerSec: 15_000,
  // Chosen: a broadcast from one object then takes about 1.3 s at the measured send rate, and a woken object
  // rebuilds its registry from that many attachments; the published pages say only "thousands of clients".
  socketsPerObject: 20_000,
  // developers.cloudflare.com/workers/platform/limits/ (Workers Paid: 10,000 per request)
  subrequestsPerInvocation: 10_000,
  hopMs: 25,
  headroom: 0.5,
  // worker/push-hub.ts: saved() arms a 1 s timer that keeps the object awake until the counters are written.
  awakeAfterRequestSec: 1,
  workerCpuMsPerRequest: 1,
  // developers.cloudflare.com/workers/platform/pricing/
  workerRequestPrice: 0.30,
  workerCpuMsPrice: 0.02,
  // developers.cloudflare.com/durable-objects/platform/pricing/
  objectRequestPrice: 0.15,
  objectGbSecondPrice: 12.50,
  objectGb: 0.128,
  messagesPerBilledRequest: 20,
  // Measured by bench:edge-groups under wrangler dev; docs/scale.md §7 gives the runs.
  groupMemberUs: 15,
  storedMemberUs: 180,
  // developers.cloudflare.com/durable-objects/platform/pricing/ (SQLite storage backend, Workers Paid)
  rowReadPrice: 0.001,
  rowWritePrice: 1.00,
});
