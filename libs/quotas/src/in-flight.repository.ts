import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '#libs/aws';

/** The item of one user's jobs in flight in the accounts table: `pk` = inflight, `sk` = user#<ownerId>. */
const inFlightKey = (ownerId: string): { pk: string; sk: string } => ({ pk: 'inflight', sk: `user#${ownerId}` });

export interface InFlightAdd {
  /** false: the set already held `max` other jobs, nothing was written. */
  added: boolean;
  /** Jobs in the set after the write (only when added). */
  count: number;
}

/**
 * A user's jobs in flight: one item holding a string set of job ids, changed only by single-item conditional
 * writes (DynamoDB serialises writes to one item, and dynalite has no transactions). Adding an id twice or removing
 * it twice changes nothing, which makes a duplicated release harmless by construction.
 */
export class InFlightRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds `jobId` unless the set already holds `max` others. */
  async add(ownerId: string, jobId: string, max: number): Promise<InFlightAdd> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inFlightKey(ownerId),
          UpdateExpression: 'ADD jobIds :one',
          // the check and the add are one write, so parallel submissions cannot both take the last slot;
          // an id already in the set may be added again (a retried reserve) without needing a free slot
          ConditionExpression: 'attribute_not_exists(jobIds) OR size(jobIds) < :max OR contains(jobIds, :id)',
          ExpressionAttributeValues: { ':one': new Set([jobId]), ':max': max, ':id': jobId },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { added: true, count: (result.Attributes?.jobIds as Set<string> | undefined)?.size ?? 1 };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return { added: false, count: max };
      }
      return rethrowAws('DynamoDB', error);
    }
  }

  /**
   * Adds all of `jobIds` in one write, or none: only while the set holds at most `max - jobIds.length` jobs. The ids
   * must be new ones (a batch's), so the set grows by exactly their number.
   */
  async addMany(ownerId: string, jobIds: readonly string[], max: number): Promise<InFlightAdd> {
    const room = max - jobIds.length;
    if (room < 0) {
      return { added: false, count: 0 };
    }
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inFlightKey(ownerId),
          UpdateExpression: 'ADD jobIds :ids',
          ConditionExpression: 'attribute_not_exists(jobIds) OR size(jobIds) <= :room',
          ExpressionAttributeValues: { ':ids': new Set(jobIds), ':room': room },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { added: true, count: (result.Attributes?.jobIds as Set<string> | undefined)?.size ?? jobIds.length };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return { added: false, count: 0 };
      }
      return rethrowAws('DynamoDB', error);
    }
  }

  /** Removes these ids; ids not in the set (already released) are ignored. */
  async remove(ownerId: string, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) {
      return;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inFlightKey(ownerId),
          UpdateExpression: 'DELETE jobIds :ids',
          // no item, nothing to release: do not create an empty one
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':ids': new Set(jobIds) },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return;
      }
      rethrowAws('DynamoDB', error);
    }
  }

  /** The ids in the set, oldest first (ULIDs sort by time). */
  async members(ownerId: string): Promise<string[]> {
    try {
      const result = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: inFlightKey(ownerId), ConsistentRead: true }),
      );
      return [...((result.Item?.jobIds as Set<string> | undefined) ?? [])].sort();
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }
}
