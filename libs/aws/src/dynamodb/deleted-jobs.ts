import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { FINAL_JOB_STATUSES } from '#libs/contracts';
import { rethrowAws } from '../errors/dependency.error.js';

/**
 * A deleted job's item is replaced by a tombstone `{ jobId, deletedAt, expiresAt }`: no owner, no status, so it is in
 * no index and JobRepository reads it as no job, but the worker can still tell a late notification for a deleted job
 * (dropped quietly) from one for a job that never existed (dead-lettered). `expiresAt` (epoch seconds) lets a TTL
 * remove it once no notification can still come (SQS keeps a message at most 14 days).
 */
export const TOMBSTONE_RETENTION_SECONDS = 30 * 24 * 3600;

export function isTombstone(item: Record<string, unknown>): boolean {
  return typeof item.deletedAt === 'string' && item.ownerId === undefined;
}

export class DeletedJobs {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Replaces a final job by its tombstone, the last step of a deletion (after its objects are gone, so a crash before
   * it leaves the job to delete again). Returns false when there was no final job to replace (a tombstone already,
   * or no item at all).
   */
  async bury(jobId: string, deletedAt: Date): Promise<boolean> {
    const finals = Object.fromEntries(FINAL_JOB_STATUSES.map((status, index) => [`:f${index}`, status]));
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            jobId,
            deletedAt: deletedAt.toISOString(),
            expiresAt: Math.floor(deletedAt.getTime() / 1000) + TOMBSTONE_RETENTION_SECONDS,
          },
          // only a final job: an active one must be canceled (and reported) first
          ConditionExpression: `attribute_exists(ownerId) AND #status IN (${Object.keys(finals).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: finals,
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

  async isDeleted(jobId: string): Promise<boolean> {
    try {
      const result = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { jobId }, ConsistentRead: true }),
      );
      return result.Item !== undefined && isTombstone(result.Item);
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }
}
