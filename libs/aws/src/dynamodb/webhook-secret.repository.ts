import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '../errors/dependency.error.js';

/** One signing secret as stored: encrypted (see SecretEnvelope in libs/webhooks), never in the clear. */
export interface StoredWebhookSecret {
  sealed: {
    keyId: string;
    encryptedDataKey: string;
    iv: string;
    ciphertext: string;
    tag: string;
  };
  createdAt: string;
}

/** A user's webhook signing secrets: the current one, and during a rotation's overlap the one it replaced. */
export interface WebhookSecretRecord {
  ownerId: string;
  current: StoredWebhookSecret;
  previous?: StoredWebhookSecret & { retiresAt: string };
  /** Bumped by every write: rotations racing each other write once. */
  revision: number;
}

/** Webhook secrets in the accounts table: `pk` `webhooksecret#<ownerId>`, `sk` `secret` (one item per user). */
export class WebhookSecretRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(ownerId: string): Promise<WebhookSecretRecord | undefined> {
    try {
      const result = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key(ownerId), ConsistentRead: true }),
      );
      if (!result.Item) {
        return undefined;
      }
      const { pk: _pk, sk: _sk, ...record } = result.Item;
      return record as WebhookSecretRecord;
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /**
   * Writes `record` when the stored revision is `expectedRevision` (undefined: when there is none yet); false when
   * another write came first.
   */
  async put(record: WebhookSecretRecord, expectedRevision: number | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key(record.ownerId), ...record },
          ...(expectedRevision === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'revision = :expected',
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
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

function key(ownerId: string): { pk: string; sk: string } {
  return { pk: `webhooksecret#${ownerId}`, sk: 'secret' };
}
