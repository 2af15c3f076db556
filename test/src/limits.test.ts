import { describe, expect, it } from 'vitest';
import { ConfigError, defaultLimits, limitsFrom } from '../../src/index.ts';

describe('limitsFrom', () => {
  it('uses the defaults for unset settings', () => {
    expect(limitsFrom({})).toEqual(defaultLimits);
    expect(limitsFrom({ MAX_BATCH: '' })).toEqual(defaultLimits);
  });

  it('reads each setting by its shared name', () => {
    expect(limitsFrom({
      MAX_MESSAGE_BYTES: '10', MAX_UID_BYTES: ' 20 ', MAX_CONNECTIONS_PER_UID: 3, MAX_BATCH: '4', MAX_BATCH_BYTES: '50', IDENTIFY_TIMEOUT_SECONDS: '7',
      MAX_TTL_SECONDS: '8', RETAIN_SECONDS: '9', MAX_RETAINED_PER_UID: '10', MAX_QUEUED_PER_UID: '11', MAX_QUEUED_TOTAL: '12',
      IDEMPOTENCY_SECONDS: '13', MARK_SECONDS: '14', MAX_GROUPS_PER_UID: '15', MAX_GROUP_MEMBERS: '16',
    })).toEqual({
      maxMessageBytes: 10, maxUidBytes: 20, maxConnectionsPerUid: 3, maxBatch: 4, maxBatchBytes: 50, identifyTimeoutSeconds: 7,
      maxTtlSeconds: 8, retainSeconds: 9, maxRetainedPerUid: 10, maxQueuedPerUid: 11, maxQueuedTotal: 12, idempotencySeconds: 13, markSeconds: 14,
      maxGroupsPerUid: 15, maxGroupMembers: 16,
    });
  });

  it('takes IDENTIFY_TIMEOUT_SECONDS=0 as off, and refuses a negative one', () => {
    expect(limitsFrom({ IDENTIFY_TIMEOUT_SECONDS: '0' }).identifyTimeoutSeconds).toBe(0);
    expect(() => limitsFrom({ IDENTIFY_TIMEOUT_SECONDS: '-1' })).toThrow(/^IDENTIFY_TIMEOUT_SECONDS must be a whole number of seconds/);
  });

  it.each(['0', '-1', '1.5', 'lots'])('refuses %j and names the setting', (value) => {
    expect(() => limitsFrom({ MAX_BATCH: value })).toThrow(ConfigError);
    expect(() => limitsFrom({ MAX_BATCH: value })).toThrow(/^MAX_BATCH must be a positive whole number/);
  });
});
