/** A push's answer when nobody was online and it waits for its uid, because it has a ttl. */
export const QUEUED = -1;
