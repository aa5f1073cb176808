import { createHash } from 'node:crypto';

/** How many items the platform's monthly usage may be spread over (UsageLedger); shards are numbered from 0. */
export const PLATFORM_SHARDS = 16;

/** The shard, of the first `count`, that a holder's id (a job's, a batch's first job's) picks: spread evenly. */
export function platformShardOf(holderId: string, count: number = PLATFORM_SHARDS): number {
  return createHash('sha1').update(holderId).digest().readUInt32BE(0) % count;
}
