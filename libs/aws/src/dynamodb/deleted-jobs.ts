import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { FINAL_JOB_STATUSES, type Job } from '#libs/contracts';
import { rethrowAws } from '../errors/dependency.error.js';

/**
 * A deleted job's item is replaced by a tombstone `{ jobId, ownerId, deletedAt, updatedAt, version, expiresAt }`:
 * - JobRepository reads it as no job, and it is in no listing: having no status, it is in no index but the owner's
 *   two (`byOwner`, whose queries leave it out, and `byOwnerUpdated`);
 * - the owner's index by last write (`byOwnerUpdated`) holds it, so the per-user event stream reports the deletion as
 *   the job's last change (`updatedAt` = `deletedAt`, one version after the job's);
 * - the worker can tell a late notification for a deleted job (dropped quietly) from one for a job that never existed
 *   (dead-lettered).
 * `expiresAt` (epoch seconds) lets a TTL remove it once no notification can still come (SQS keeps a message at most
 * 14 days). Tombstones written before deletions were reported have no owner, version or `updatedAt`.
 */
export const TOMBSTONE_RETENTION_SECONDS = 30 * 24 * 3600;

/** A job's deletion as the per-user event stream reports it. */
export interface JobDeletion {
  jobId: string;
  deletedAt: string;
  /** One after the deleted job's last version. */
  version: number;
}

/** A job item never has `deletedAt`. */
export function isTombstone(item: Record<string, unknown>): boolean {
  return typeof item.deletedAt === 'string';
}

export function toDeletion(item: Record<string, unknown>): JobDeletion {
  return {
    jobId: item.jobId as string,
    deletedAt: item.deletedAt as string,
    version: typeof item.version === 'number' ? item.version : 1,
  };
}

export class DeletedJobs {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Replaces a final job by its tombstone, the last step of a deletion (after its objects are gone, so a crash before
   * it leaves the job to delete again). `job` is the final job as read: a final job changes no more, so its version
   * is its last. Returns false when there was no final job to replace (a tombstone already, or no item at all).
   */
  async bury(job: Pick<Job, 'jobId' | 'ownerId' | 'version'>, deletedAt: Date): Promise<boolean> {
    const finals = Object.fromEntries(FINAL_JOB_STATUSES.map((status, index) => [`:f${index}`, status]));
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            jobId: job.jobId,
            ownerId: job.ownerId,
            deletedAt: deletedAt.toISOString(),
            updatedAt: deletedAt.toISOString(),
            version: (job.version ?? 1) + 1,
            expiresAt: Math.floor(deletedAt.getTime() / 1000) + TOMBSTONE_RETENTION_SECONDS,
          },
          // only a final job (a tombstone has no status): an active one must be canceled (and reported) first
          ConditionExpression: `#status IN (${Object.keys(finals).join(', ')})`,
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
