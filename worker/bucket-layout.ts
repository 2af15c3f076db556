/**
 * Where a uid lives on the edge. A uid falls into one of BUCKETS fixed buckets (FNV-1a of its UTF-8 bytes), and a
 * bucket is owned by one of `objects` Durable Objects through a jump consistent hash: growing from N to M objects
 * moves only the buckets whose new owner is one of the added objects, and shrinking only those of the removed
 * ones. Every Worker and object computes the same answer from the object count alone, with no lookup.
 */

/** How many buckets the uids fall into, forever: far more than any layout has objects, so objects stay balanced. */
export const BUCKETS = 16384;

/** What a routed call carries: the layout it was routed by (its version and object count), and its reach. */
export interface Layout {
  /** Goes up by one each time a new object count is laid out: a later layout wins over an earlier one. */
  version: number;
  objects: number;
  /** The most objects ever laid out (never lower than `objects`): every object that may hold data or counters. */
  reach: number;
}

const FNV_PRIME = 0x01000193;

// One byte into the hash; a function of its own rather than a closure, so a call allocates nothing.
const mix = (hash: number, byte: number) => Math.imul(hash ^ byte, FNV_PRIME) >>> 0;

/**
 * The bucket of a uid: FNV-1a of its UTF-8 bytes, so every Worker instance agrees without state. The bytes are
 * made on the way (a lone surrogate as U+FFFD, as TextEncoder does), so a push allocates nothing for it.
 */
export function bucketOf(uid: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < uid.length; i++) {
    let code = uid.charCodeAt(i);
    if (code < 0x80) {
      hash = mix(hash, code);
      continue;
    }
    if (code < 0x800) {
      hash = mix(mix(hash, 0xc0 | (code >> 6)), 0x80 | (code & 63));
      continue;
    }
    const low = code >= 0xd800 && code < 0xdc00 ? uid.charCodeAt(i + 1) : NaN;
    if (low >= 0xdc00 && low < 0xe000) {
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      i++;
      hash = mix(mix(hash, 0xf0 | (code >> 18)), 0x80 | ((code >> 12) & 63));
    } else {
      if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
      hash = mix(hash, 0xe0 | (code >> 12));
    }
    hash = mix(mix(hash, 0x80 | ((code >> 6) & 63)), 0x80 | (code & 63));
  }
  return hash % BUCKETS;
}

// A bucket's jumps come from a seeded generator (mulberry32), so each bucket draws the same sequence everywhere.
const seedOf = (bucket: number) => Math.imul(bucket + 1, 0x9e3779b9) >>> 0;
const advance = (state: number) => (state + 0x6d2b79f5) >>> 0;

// The jump after `owner`, from the generator's state after its draw.
function jumpFrom(owner: number, state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const uniform = (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967296;
  return Math.floor((owner + 1) / uniform);
}

/**
 * The object that owns a bucket among `objects` (jump consistent hash): the last jump below `objects`. A bucket
 * keeps its owner when objects are added, unless it jumps onto one of the new ones. Computed on every routed push,
 * so it allocates nothing.
 */
export function ownerOf(bucket: number, objects: number): number {
  let state = seedOf(bucket);
  let owner = 0;
  for (let next = 0; next < objects; state = advance(state), next = jumpFrom(next, state)) owner = next;
  return owner;
}

/**
 * Every object that owned a bucket in some layout of 1 to `reach` objects, in order: where the bucket's stored
 * pushes can be, whatever layouts came before. About ln(reach) + 1 objects.
 */
export function ownersUpTo(bucket: number, reach: number): number[] {
  const owners: number[] = [];
  let state = seedOf(bucket);
  for (let next = 0; next < reach; state = advance(state), next = jumpFrom(next, state)) owners.push(next);
  return owners;
}

/** The object a uid is routed to among `objects`. */
export function shardOf(uid: string, objects: number): number {
  return objects <= 1 ? 0 : ownerOf(bucketOf(uid), objects);
}

/** The Durable Object at an index of the layout. */
export function objectAt<T extends Rpc.DurableObjectBranded | undefined>(namespace: DurableObjectNamespace<T>, index: number): DurableObjectStub<T> {
  return namespace.get(namespace.idFromName(`shard-${index}`));
}
