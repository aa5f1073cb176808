import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '../errors/dependency.error.js';
import { queryPage } from './query-page.js';

/** One webhook event of a job, as stored when it is first published: what every attempt sends. */
export interface WebhookEventRecord {
  /** Also the `webhook-id` and the delivery id: `<jobId>.<kind>[.<n>]`. */
  eventId: string;
  jobId: string;
  ownerId: string;
  /** `job.queued`, `job.running`, `job.progress`, `job.completed`. */
  type: string;
  url: string;
  /** The exact JSON body every attempt sends (the job at the moment of the event). */
  body: string;
  createdAt: string;
  /** Epoch seconds: DynamoDB TTL. */
  expiresAt: number;
}

export const WebhookAttemptOutcome = {
  Delivered: 'delivered',
  /** Failed; another attempt is scheduled (`nextAttemptAt`). */
  Retrying: 'retrying',
  /** Failed and the retry window is over: given up. */
  Failed: 'failed',
  /** Refused before connecting: the URL resolves to a blocked address. */
  Blocked: 'blocked',
} as const;
export type WebhookAttemptOutcome = (typeof WebhookAttemptOutcome)[keyof typeof WebhookAttemptOutcome];

/** One attempt to deliver an event. */
export interface WebhookAttemptRecord {
  /** ULID: attempts list in the order they were made. */
  attemptId: string;
  eventId: string;
  jobId: string;
  type: string;
  /** 1 for the first attempt of a delivery (a redelivery starts again at 1). */
  attempt: number;
  attemptedAt: string;
  durationMs: number;
  outcome: WebhookAttemptOutcome;
  statusCode?: number;
  error?: string;
  nextAttemptAt?: string;
  expiresAt: number;
}

export interface WebhookAttemptPage {
  attempts: WebhookAttemptRecord[];
  hasMore: boolean;
}

/**
 * A job's webhook events and delivery attempts in the accounts table, under `pk` `webhooks#<jobId>`:
 * `sk` `event#<eventId>` for each event, `sk` `attempt#<attemptId>` for each attempt. Both expire (`expiresAt`);
 * an item past it counts as absent (DynamoDB deletes expired items up to two days late, dynalite never).
 */
export class WebhookDeliveryRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores the event unless it is already stored (a repeated notification): either way returns the stored one. */
  async putEvent(event: WebhookEventRecord, now: Date = new Date()): Promise<WebhookEventRecord> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...eventKey(event.jobId, event.eventId), ...event },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return event;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return (await this.getEvent(event.jobId, event.eventId, now)) ?? event;
      }
      return rethrowAws('DynamoDB', error);
    }
  }

  async getEvent(jobId: string, eventId: string, now: Date = new Date()): Promise<WebhookEventRecord | undefined> {
    try {
      const result = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: eventKey(jobId, eventId), ConsistentRead: true }),
      );
      const item = result.Item;
      if (!item || (item.expiresAt as number) < epochSeconds(now)) {
        return undefined;
      }
      const { pk: _pk, sk: _sk, ...event } = item;
      return event as WebhookEventRecord;
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  async recordAttempt(attempt: WebhookAttemptRecord): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: partition(attempt.jobId), sk: `attempt#${attempt.attemptId}`, ...attempt },
        }),
      );
    } catch (error) {
      rethrowAws('DynamoDB', error);
    }
  }

  /** One page of the job's attempts, oldest first, after the attempt `after` when given. */
  async listAttempts(
    jobId: string,
    { limit, after, now = new Date() }: { limit: number; after?: string; now?: Date },
  ): Promise<WebhookAttemptPage> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression:
          after === undefined ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk AND sk BETWEEN :after AND :last',
        FilterExpression: 'expiresAt >= :now',
        ExpressionAttributeValues: {
          ':pk': partition(jobId),
          ':now': epochSeconds(now),
          ...(after === undefined
            ? { ':prefix': 'attempt#' }
            : // BETWEEN is inclusive: the attempt `after` itself is skipped by appending a character after it
              { ':after': `attempt#${after}\u0000`, ':last': 'attempt#\uffff' }),
        },
        ConsistentRead: true,
      },
      limit,
    );
    return {
      attempts: page.items.map((item) => {
        const { pk: _pk, sk: _sk, ...attempt } = item;
        return attempt as unknown as WebhookAttemptRecord;
      }),
      hasMore: page.hasMore,
    };
  }
}

function partition(jobId: string): string {
  return `webhooks#${jobId}`;
}

function eventKey(jobId: string, eventId: string): { pk: string; sk: string } {
  return { pk: partition(jobId), sk: `event#${eventId}` };
}

export function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
