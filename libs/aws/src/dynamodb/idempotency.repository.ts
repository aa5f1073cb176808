import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '../errors/dependency.error.js';

export const IdempotencyState = {
  InProgress: 'in-progress',
  Completed: 'completed',
} as const;
export type IdempotencyState = (typeof IdempotencyState)[keyof typeof IdempotencyState];

/** The answer a completed request gave, replayed as it was. */
export interface StoredAnswer {
  status: number;
  /** The body exactly as sent (JSON text: a DynamoDB map would not keep the key order). */
  body: string;
  location?: string;
}

/** One user's use of one idempotency key. */
export interface IdempotencyRecord {
  ownerId: string;
  key: string;
  /** SHA-256 of the canonical request body: the same key with another body is a client error. */
  fingerprint: string;
  state: IdempotencyState;
  /** Who holds the claim: only its holder may complete or release it. */
  claimToken: string;
  /** Epoch seconds; the record counts as absent once this is in the past (DynamoDB's TTL attribute). */
  expiresAt: number;
  createdAt: string;
  answer?: StoredAnswer;
}

export interface IdempotencyClaim {
  ownerId: string;
  key: string;
  fingerprint: string;
  claimToken: string;
  /** Epoch seconds: a claim whose holder never completes or releases it frees the key at this time. */
  expiresAt: number;
  /** Epoch seconds: a record that expired before this instant is replaced. */
  now: number;
  createdAt: string;
}

/** The accounts table's item: `pk` `idempotency#<ownerId>`, `sk` the key. */
interface IdempotencyItem {
  pk: string;
  sk: string;
  ownerId: string;
  fingerprint: string;
  state: IdempotencyState;
  claimToken: string;
  expiresAt: number;
  createdAt: string;
  answer?: StoredAnswer;
}

const partitionKey = (ownerId: string): string => `idempotency#${ownerId}`;

function toRecord(item: Record<string, unknown>): IdempotencyRecord {
  const { pk: _pk, sk, ...rest } = item as unknown as IdempotencyItem;
  return { ...rest, key: sk };
}

/**
 * Idempotency keys in the accounts table, one item per (user, key). Every write is a single conditional write
 * (no transactions: dynalite has none), and an item past its `expiresAt` counts as absent, since DynamoDB deletes
 * expired items up to days late and dynalite never does.
 */
export class IdempotencyRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims the key for this request: true when no live record existed (an expired one is replaced), false when
   * another request holds or has completed it.
   */
  async claim(claim: IdempotencyClaim): Promise<boolean> {
    const item: IdempotencyItem = {
      pk: partitionKey(claim.ownerId),
      sk: claim.key,
      ownerId: claim.ownerId,
      fingerprint: claim.fingerprint,
      state: IdempotencyState.InProgress,
      claimToken: claim.claimToken,
      expiresAt: claim.expiresAt,
      createdAt: claim.createdAt,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': claim.now },
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

  /** The stored record, expired or not (the caller compares `expiresAt` with its clock). */
  async get(ownerId: string, key: string): Promise<IdempotencyRecord | undefined> {
    try {
      const result = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: partitionKey(ownerId), sk: key },
          ConsistentRead: true,
        }),
      );
      return result.Item ? toRecord(result.Item) : undefined;
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /**
   * Stores the answer and keeps it until `expiresAt`. Only the claim's holder: false when the claim was lost (it
   * expired and another request took the key), and then nothing is written.
   */
  async complete(
    ownerId: string,
    key: string,
    claimToken: string,
    answer: StoredAnswer,
    expiresAt: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: partitionKey(ownerId), sk: key },
          UpdateExpression: 'SET #state = :completed, answer = :answer, expiresAt = :expiresAt',
          ConditionExpression: 'claimToken = :token AND #state = :inProgress',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':completed': IdempotencyState.Completed,
            ':inProgress': IdempotencyState.InProgress,
            ':answer': answer,
            ':expiresAt': expiresAt,
            ':token': claimToken,
          },
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

  /** Gives the key up so that a retry runs again; only the claim's holder, and only while in progress. */
  async release(ownerId: string, key: string, claimToken: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: partitionKey(ownerId), sk: key },
          ConditionExpression: 'claimToken = :token AND #state = :inProgress',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':token': claimToken, ':inProgress': IdempotencyState.InProgress },
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
}
