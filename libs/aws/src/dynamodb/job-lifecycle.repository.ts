import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Job } from '#libs/contracts';
import { rethrowAws } from '../errors/dependency.error.js';
import { JOBS_TABLE_INDEXES, toJob } from './job.repository.js';

/**
 * The reaper's view of the jobs table, through its two sparse, sharded indexes (never a Scan):
 * - `byDeadline` (`activeShard`, `deadlineAt`) holds the unsettled jobs: the key is written with the job and removed
 *   once its final state has been reported (JobRepository.markSettled), so a query finds the jobs still QUEUED or
 *   RUNNING past a time, and the final ones whose report a crash cut short;
 * - `byExpiry` (`expiryShard`, `expiresAt`) holds every job until it is deleted: a query finds those past their
 *   retention. In AWS DynamoDB TTL deletes them too (up to days late); locally only this does.
 * Both index keys are sharded by job id (JOB_INDEX_SHARDS), so no partition takes every job's write; a sweep
 * queries every shard. Index reads are eventually consistent: a job just finalized may still show up, which the
 * conditional writes that follow make harmless.
 */
export class JobLifecycleRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** At most `limit` unsettled jobs of `shard` whose deadline is before `before` (ISO time), earliest first. */
  async overdue(shard: string, before: string, limit: number): Promise<Job[]> {
    const index = JOBS_TABLE_INDEXES.byDeadline;
    return this.query('byDeadline', index, shard, before, limit);
  }

  /** At most `limit` jobs of `shard` whose `expiresAt` (epoch seconds) is before `beforeSeconds`, earliest first. */
  async expired(shard: string, beforeSeconds: number, limit: number): Promise<Job[]> {
    const index = JOBS_TABLE_INDEXES.byExpiry;
    return this.query('byExpiry', index, shard, beforeSeconds, limit);
  }

  /**
   * Deletes the job's row if it is (still) expired at `nowSeconds`. True when this call deleted it; false when it
   * was already gone (another reaper, or DynamoDB's TTL) or is not expired.
   */
  async deleteExpired(jobId: string, nowSeconds: number): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { jobId },
          ConditionExpression: 'attribute_exists(jobId) AND #expiresAt <= :now',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return false;
      }
      return rethrowAws('DynamoDB', error);
    }
  }

  private async query(
    indexName: 'byDeadline' | 'byExpiry',
    index: { partitionKey: string; sortKey: string },
    shard: string,
    before: string | number,
    limit: number,
  ): Promise<Job[]> {
    try {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: indexName,
          KeyConditionExpression: '#pk = :shard AND #sk < :before',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
          ExpressionAttributeValues: { ':shard': shard, ':before': before },
          ScanIndexForward: true,
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map(toJob);
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }
}
