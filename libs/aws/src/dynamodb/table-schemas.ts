import { JOBS_TABLE_INDEXES } from './job.repository.js';

/** Key attribute names of a table or an index; every key attribute is a string unless said otherwise. */
export interface KeyShape {
  partitionKey: string;
  sortKey?: string;
  /** The sort key's type: a string unless `N` (a number, e.g. a TTL attribute). */
  sortKeyType?: 'S' | 'N';
}

/** What provisioning (and Terraform) create for one table: its key, its indexes (all projecting ALL), its TTL. */
export interface TableSchema {
  key: KeyShape;
  indexes: Readonly<Record<string, KeyShape>>;
  /** Number attribute holding epoch seconds after which DynamoDB deletes the item. */
  ttlAttribute?: string;
}

export const JOBS_TABLE_SCHEMA: TableSchema = {
  key: { partitionKey: 'jobId' },
  indexes: JOBS_TABLE_INDEXES,
  ttlAttribute: 'expiresAt',
};

/**
 * Per-user state, one item type per `pk` prefix (see the repositories that own them): idempotency keys, jobs in
 * flight, monthly usage with budget holds. Items that only matter for a while carry `expiresAt`.
 */
export const ACCOUNTS_TABLE_SCHEMA: TableSchema = {
  key: { partitionKey: 'pk', sortKey: 'sk' },
  indexes: {},
  ttlAttribute: 'expiresAt',
};

/** The layout rate-limiter-flexible's DynamoDB store reads and writes: `key`, `points`, `expire` (epoch seconds). */
export const RATE_LIMITS_TABLE_SCHEMA: TableSchema = {
  key: { partitionKey: 'key' },
  indexes: {},
  ttlAttribute: 'expire',
};
