import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '../errors/dependency.error.js';
import { queryPage } from './query-page.js';

/** An API key as stored: its metadata and the HMAC of the secret key, never the key itself. */
export interface ApiKeyRecord {
  /** Public id (a ULID: listing order is creation order). */
  keyId: string;
  ownerId: string;
  /** The owner's username and groups when the key was created: a key acts as that user. */
  ownerUsername: string;
  ownerGroups: string[];
  name: string;
  scopes: string[];
  /** base64url HMAC-SHA256 of the whole key under the server's secret. */
  hash: string;
  createdAt: string;
  lastUsedAt?: string;
  /** ISO instant after which the key is refused; absent: never expires. */
  keyExpiresAt?: string;
  monthlyBudgetUsd?: number;
  requestsPerMinute?: number;
}

export interface ApiKeyPage {
  keys: ApiKeyRecord[];
  hasMore: boolean;
}

/**
 * API keys in the accounts table, two items per key (no transactions in dynalite, so each write is a single item):
 * - listing: `pk` `apikey#<ownerId>`, `sk` `<keyId>`, queried newest first for `GET /v1/keys`; holds `lastUsedAt`;
 * - lookup: `pk` `apikeyid#<keyId>`, `sk` `apikey`, read with one GetItem to verify a presented key.
 * Creation writes the lookup item last and revocation deletes it first, so a key is never usable while unlisted.
 */
export class ApiKeyRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: ApiKeyRecord): Promise<void> {
    const { lastUsedAt: _lastUsed, ...stored } = record;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...stored, ...listingKey(record.ownerId, record.keyId) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...stored, ...lookupKey(record.keyId) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        await this.client
          .send(new DeleteCommand({ TableName: this.tableName, Key: listingKey(record.ownerId, record.keyId) }))
          .catch(() => undefined);
        throw error;
      }
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /** The key behind a presented key id (one GetItem); undefined when there is none or it was revoked. */
  async findById(keyId: string): Promise<ApiKeyRecord | undefined> {
    try {
      const result = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: lookupKey(keyId), ConsistentRead: true }),
      );
      return result.Item ? toRecord(result.Item) : undefined;
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /** One page of the owner's keys, newest first, after `after` (a key id) when given. */
  async listByOwner(ownerId: string, { limit, after }: { limit: number; after?: string }): Promise<ApiKeyPage> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :after',
        ExpressionAttributeValues: {
          ':pk': listingKey(ownerId, '').pk,
          ...(after === undefined ? {} : { ':after': after }),
        },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      limit,
    );
    return { keys: page.items.map(toRecord), hasMore: page.hasMore };
  }

  /** Revokes the owner's key: true when it existed. Another owner's key is left alone (false). */
  async revoke(ownerId: string, keyId: string): Promise<boolean> {
    try {
      try {
        await this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: lookupKey(keyId),
            ConditionExpression: 'ownerId = :owner',
            ExpressionAttributeValues: { ':owner': ownerId },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) {
          throw error;
        }
      }
      const listed = await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: listingKey(ownerId, keyId), ReturnValues: 'ALL_OLD' }),
      );
      return listed.Attributes !== undefined;
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /**
   * Records a use of the key when the last one recorded is older than `notAfter` (one conditional write, so
   * instances racing write once); false when another write was recent enough or the key is gone.
   */
  async touch(ownerId: string, keyId: string, usedAt: string, notAfter: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: listingKey(ownerId, keyId),
          UpdateExpression: 'SET lastUsedAt = :usedAt',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :notAfter)',
          ExpressionAttributeValues: { ':usedAt': usedAt, ':notAfter': notAfter },
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

function listingKey(ownerId: string, keyId: string): { pk: string; sk: string } {
  return { pk: `apikey#${ownerId}`, sk: keyId };
}

function lookupKey(keyId: string): { pk: string; sk: string } {
  return { pk: `apikeyid#${keyId}`, sk: 'apikey' };
}

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as ApiKeyRecord;
}
