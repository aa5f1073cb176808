import { createHash } from 'node:crypto';

/**
 * How many partitions the jobs table's lifecycle indexes (`byDeadline`, `byExpiry`) spread their items over, so
 * that no single partition takes every job's write. A reader queries each shard. Changing it strands the items
 * written under the old count in shards nobody reads: it is part of the table's layout, not a setting.
 */
export const JOB_INDEX_SHARDS = 8;

/** Every shard key, "0" to "JOB_INDEX_SHARDS - 1". */
export const JOB_INDEX_SHARD_KEYS: readonly string[] = Array.from({ length: JOB_INDEX_SHARDS }, (_, i) => String(i));

/** The job's shard: a hash of its id (a ULID's leading time characters alone would put a burst in one shard). */
export function jobIndexShard(jobId: string): string {
  return String(createHash('sha1').update(jobId).digest().readUInt32BE(0) % JOB_INDEX_SHARDS);
}
