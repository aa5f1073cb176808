import { PLATFORM_SHARDS, platformShardOf, type UsageItemKey } from '#libs/aws';

/** One usage item a hold may take, with the part of the budget it may commit (absent: no budget). */
export interface BudgetShare {
  key: UsageItemKey;
  budgetMicros: number | undefined;
}

/**
 * Below twice this ($10), the platform's budget stays in one item, exact to the micro-dollar; above it, each shard
 * gets at least this much. A budget split in n shares can refuse a job while less than n job estimates are left in
 * total (each share's remainder too small for one more job): cents, against shares of $10 or more.
 */
export const MIN_PLATFORM_SHARE_MICROS = 10_000_000;

/**
 * The platform's shards a hold tries, in order, each with its share of the budget: first the one picked from the
 * holder's id (so holds spread evenly), then the others, so a job is refused only when no share has room for it.
 * Without a budget the holds still spread over every shard, each taking the first it tries.
 */
export function platformShares(month: string, holderId: string, budgetMicros?: number): BudgetShare[] {
  const count =
    budgetMicros === undefined
      ? PLATFORM_SHARDS
      : Math.min(PLATFORM_SHARDS, Math.max(1, Math.floor(budgetMicros / MIN_PLATFORM_SHARE_MICROS)));
  const first = platformShardOf(holderId, count);
  return Array.from({ length: budgetMicros === undefined ? 1 : count }, (_, offset) => {
    const shard = (first + offset) % count;
    return {
      key: { month, scope: { kind: 'platform', shard } },
      budgetMicros: budgetMicros === undefined ? undefined : shareOf(budgetMicros, shard, count),
    };
  });
}

/** Shard `shard`'s part of the budget: equal parts, the first shards taking the micro-dollars left over. */
function shareOf(budgetMicros: number, shard: number, count: number): number {
  return Math.floor(budgetMicros / count) + (shard < budgetMicros % count ? 1 : 0);
}
