import { describe, expect, it } from '@jest/globals';
import { PLATFORM_SHARDS } from '#libs/aws';
import { MIN_PLATFORM_SHARE_MICROS, platformShares } from './platform-shares.js';

const shardsOf = (shares: ReturnType<typeof platformShares>): number[] =>
  shares.map((share) => (share.key.scope as { shard: number }).shard);

describe(platformShares.name, () => {
  it('keeps a budget under two minimum shares whole, in one shard: exact to the micro-dollar', () => {
    const shares = platformShares('2026-11', 'job-1', 2 * MIN_PLATFORM_SHARE_MICROS - 1);
    expect(shares).toEqual([
      { key: { month: '2026-11', scope: { kind: 'platform', shard: 0 } }, budgetMicros: 19_999_999 },
    ]);
  });

  it('splits a larger budget into shares that add up to it exactly, tried from the holder’s shard round', () => {
    const budget = 3 * MIN_PLATFORM_SHARE_MICROS + 2;
    const shares = platformShares('2026-11', 'job-1', budget);
    expect(shares).toHaveLength(3);
    const shards = shardsOf(shares);
    expect(shards.map((shard) => (shard - shards[0]! + 3) % 3)).toEqual([0, 1, 2]);
    expect(shares.reduce((sum, share) => sum + share.budgetMicros!, 0)).toBe(budget);
    expect(new Set(shares.map((share) => share.budgetMicros))).toEqual(new Set([10_000_001, 10_000_000]));
  });

  it('never uses more than the shards there are, however large the budget', () => {
    const shares = platformShares('2026-11', 'job-1', 1_000_000 * MIN_PLATFORM_SHARE_MICROS);
    expect(new Set(shardsOf(shares)).size).toBe(PLATFORM_SHARDS);
  });

  it('spreads holders over every shard, without a budget too (one try each: nothing refuses)', () => {
    const firsts = (budget?: number) =>
      new Set(
        Array.from({ length: 400 }, (_, index) => shardsOf(platformShares('2026-11', `job-${index}`, budget))[0]),
      );
    expect(firsts(PLATFORM_SHARDS * MIN_PLATFORM_SHARE_MICROS).size).toBe(PLATFORM_SHARDS);
    expect(firsts().size).toBe(PLATFORM_SHARDS);
    expect(platformShares('2026-11', 'job-1')).toEqual([
      { key: expect.objectContaining({ month: '2026-11' }), budgetMicros: undefined },
    ]);
    // the same holder always starts at the same shard
    expect(platformShares('2026-11', 'job-9')).toEqual(platformShares('2026-11', 'job-9'));
  });
});
