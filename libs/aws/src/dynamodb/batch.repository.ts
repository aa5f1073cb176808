import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '../errors/dependency.error.js';
import { queryPage } from './query-page.js';

/** A batch of jobs submitted together (POST /v1/batches); the jobs themselves are in the jobs table. */
export interface BatchRecord {
  batchId: string;
  ownerId: string;
  createdAt: string;
  /** In submission order. */
  jobIds: string[];
}

/** A batch as its owner's listing shows it. */
export interface BatchSummary {
  batchId: string;
  createdAt: string;
  jobCount: number;
}

export interface BatchPage {
  /** Newest first. */
  batches: BatchSummary[];
  /** More batches follow the last one: list again with `after` set to its id. */
  hasMore: boolean;
}

/**
 * Batches in the accounts table, two items each: the batch itself, `pk` = `batch#<batchId>`, `sk` = `batch`
 * (found by id alone, which lets an administrator read anyone's), and its owner's listing entry,
 * `pk` = `batches#<ownerId>`, `sk` = `<batchId>` (ULIDs sort by time, so a query reads them newest first).
 */
export class BatchRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes the batch, then its listing entry; fails if the id holds another batch. Finding this very batch there is
   * success: the SDK retries a write whose answer timed out, and the first attempt may have been applied.
   */
  async create(batch: BatchRecord): Promise<void> {
    try {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: batchKey(batch.batchId), sk: BATCH_SK, ...batch },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || !isSame(await this.get(batch.batchId), batch)) {
          throw error;
        }
      }
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: listingKey(batch.ownerId),
            sk: batch.batchId,
            batchId: batch.batchId,
            createdAt: batch.createdAt,
            jobCount: batch.jobIds.length,
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Error(`batch ${batch.batchId} already exists`, { cause: error });
      }
      rethrowAws('DynamoDB', error);
    }
  }

  async get(batchId: string): Promise<BatchRecord | undefined> {
    try {
      const result = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: batchKey(batchId), sk: BATCH_SK },
          ConsistentRead: true,
        }),
      );
      if (!result.Item) {
        return undefined;
      }
      const { batchId: id, ownerId, createdAt, jobIds } = result.Item as BatchRecord;
      return { batchId: id, ownerId, createdAt, jobIds };
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /** The owner's batches, newest first, resuming after a batch id. */
  async listByOwner(ownerId: string, { limit, after }: { limit: number; after?: string }): Promise<BatchPage> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :after',
        ExpressionAttributeValues: {
          ':pk': listingKey(ownerId),
          ...(after === undefined ? {} : { ':after': after }),
        },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      limit,
    );
    return {
      batches: page.items.map((item) => ({
        batchId: String(item.batchId),
        createdAt: String(item.createdAt),
        jobCount: Number(item.jobCount),
      })),
      hasMore: page.hasMore,
    };
  }
}

function isSame(stored: BatchRecord | undefined, batch: BatchRecord): boolean {
  return (
    stored?.ownerId === batch.ownerId &&
    stored.createdAt === batch.createdAt &&
    stored.jobIds.join() === batch.jobIds.join()
  );
}

const BATCH_SK = 'batch';
const batchKey = (batchId: string): string => `batch#${batchId}`;
const listingKey = (ownerId: string): string => `batches#${ownerId}`;
