import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EDGE_PLATFORM } from '../../scripts/edge-platform.ts';
import { modelGroupPush, type GroupLoad } from '../../scripts/group-model.ts';
import { gridGroups, groupTable } from '../../scripts/group-table.ts';
import { ModelError } from '../../scripts/scale-model.ts';

const p = EDGE_PLATFORM;
const group = (members: number, shards: number, more: Partial<GroupLoad> = {}): GroupLoad => ({ members, onlineShare: 1, tabs: 1, stored: false, shards, ...more });

describe('the model of a group push', () => {
  it('matches a case worked by hand: 10 online members on 500 shards', () => {
    const f = modelGroupPush(group(10, 500), p);
    const touched = 500 * (1 - (1 - 1 / 500) ** 10);
    expect(f.objectsWithMembers).toBeCloseTo(touched, 9);
    // The home, and the objects with members but the home (which serves its own without a call).
    expect(f.objectRequests).toBeCloseTo(1 + touched * (499 / 500), 9);
    expect(f.objectRequestsToEveryObject).toBe(501);
    // Two hops (Worker → home → objects), then one member's read and send on the fullest object.
    const perMemberMs = (15 + 1e6 / 15_000) / 1000;
    expect(f.ms).toBeCloseTo(50 + (10 / touched) * perMemberMs, 9);
    expect(f.objectMs).toBeCloseTo(10 * perMemberMs, 9);
    const cost = 0.32 / 1e6 + f.objectRequests * 0.15 / 1e6 + ((f.objectMs + f.ms) / 1000) * 0.128 * 12.5 / 1e6
      + f.rowsRead * 0.001 / 1e6 + 1 / 1e6;
    expect(f.cost).toBeCloseTo(cost, 15);
  });

  it('stores every member of a ttl push: two rows written each, and the time of the store', () => {
    const plain = modelGroupPush(group(10_000, 50, { onlineShare: 0 }), p);
    const stored = modelGroupPush(group(10_000, 50, { onlineShare: 0, stored: true }), p);
    expect(stored.rowsWritten).toBe(1 + 20_000);
    expect(stored.objectMs - plain.objectMs).toBeCloseTo(10_000 * 0.18, 6);
    expect(stored.cost).toBeGreaterThan(0.02);
  });

  it('never calls more objects than a fan-out to every object, and more members never cost less', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean(), fc.integer({ min: 1, max: 1000 }), (members, shards, onlineShare, stored, extra) => {
        const g = group(members, shards, { onlineShare, stored });
        const f = modelGroupPush(g, p);
        expect(f.objectRequests).toBeLessThanOrEqual(f.objectRequestsToEveryObject + 1e-9);
        expect(f.objectsWithMembers).toBeLessThanOrEqual(Math.min(members, shards) + 1e-9);
        expect(modelGroupPush({ ...g, members: members + extra }, p).cost).toBeGreaterThanOrEqual(f.cost - 1e-15);
      }), { numRuns: 200 });
  });

  it('refuses a group it cannot describe', () => {
    expect(() => modelGroupPush(group(0, 1), p)).toThrow(new ModelError('group members must be a whole number ≥ 1, got 0'));
    expect(() => modelGroupPush(group(5, 1, { onlineShare: 2 }), p)).toThrow(/online share must be from 0 to 1/);
  });

  it('prints a table per deployment: as many members online as it has clients, then all offline with a ttl', () => {
    const [plain, stored] = gridGroups(10_000);
    expect(plain!.map((g) => g.onlineShare)).toEqual([1, 1, 0.01]);
    expect(stored!.every((g) => g.stored && g.onlineShare === 0)).toBe(true);
    const table = groupTable(plain!, 3, p);
    expect(table).toMatch(/^group push on 3 shards\s+10 members, 100% online\s+10,000 members, 100% online\s+1,000,000 members, 1% online\n/);
    expect(table).toMatch(/object requests if sent to every object\s+4\s+4\s+4\n/);
  });
});
