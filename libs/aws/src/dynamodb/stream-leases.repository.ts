import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '../errors/dependency.error.js';
import { isInvalidDocumentPath } from './invalid-document-path.js';

/** The item of one user's open event streams in the accounts table. */
const leasesKey = (userId: string) => ({ pk: 'streams', sk: `user#${userId}` });

/**
 * A user's open event streams, across every api instance: one item whose `leases` map holds each open stream's id
 * and the time (epoch ms) its lease runs out. A stream renews its lease while it is open and gives it back when it
 * closes; the lease of a stream whose instance died runs out by itself, and the next open that finds no room clears
 * it. `expiresAt` lets DynamoDB's TTL remove the item of a user who has opened none for a while.
 */
export class StreamLeases {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes a lease for `streamId` until `now + leaseMs`, unless the user already holds `max` leases that have not run
   * out. Returns whether it was taken.
   */
  async acquire(userId: string, streamId: string, max: number, leaseMs: number): Promise<boolean> {
    try {
      if (await this.takeWhileRoom(userId, streamId, max, leaseMs)) {
        return true;
      }
      // no room: leases that ran out (their instance died) make room for this one
      return (await this.clearExpired(userId)) && (await this.takeWhileRoom(userId, streamId, max, leaseMs));
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /** Extends the lease of an open stream (taken again if it was cleared meanwhile). */
  async renew(userId: string, streamId: string, leaseMs: number): Promise<void> {
    await this.updateExisting(userId, {
      UpdateExpression: 'SET leases.#stream = :until, expiresAt = :expiresAt',
      ExpressionAttributeNames: { '#stream': streamId },
      ExpressionAttributeValues: this.lease(leaseMs),
    });
  }

  async release(userId: string, streamId: string): Promise<void> {
    await this.updateExisting(userId, {
      UpdateExpression: 'REMOVE leases.#stream',
      ExpressionAttributeNames: { '#stream': streamId },
    });
  }

  private async takeWhileRoom(userId: string, streamId: string, max: number, leaseMs: number): Promise<boolean> {
    const lease = this.lease(leaseMs);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leasesKey(userId),
          UpdateExpression: 'SET leases.#stream = :until, expiresAt = :expiresAt',
          // the check and the lease are one write: two instances cannot both take the last slot (without a map, the
          // write fails on the path, and the map is created below)
          ConditionExpression: 'attribute_not_exists(leases) OR size(leases) < :max',
          ExpressionAttributeNames: { '#stream': streamId },
          ExpressionAttributeValues: { ...lease, ':max': max },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return false;
      }
      if (!isInvalidDocumentPath(error)) {
        throw error;
      }
    }
    // the user's first stream (or the first since the item expired): the map is created with this lease in it
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leasesKey(userId),
          UpdateExpression: 'SET leases = :leases, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(leases)',
          ExpressionAttributeValues: { ':leases': { [streamId]: lease[':until'] }, ':expiresAt': lease[':expiresAt'] },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // another stream created it meanwhile
        return this.takeWhileRoom(userId, streamId, max, leaseMs);
      }
      throw error;
    }
  }

  /** Removes the leases that ran out, each only if it was not renewed meanwhile; whether there were any. */
  private async clearExpired(userId: string): Promise<boolean> {
    const expired = Object.entries(await this.leasesOf(userId)).filter(([, until]) => until <= this.now());
    if (expired.length === 0) {
      return false;
    }
    const names = Object.fromEntries(expired.map(([streamId], index) => [`#s${index}`, streamId]));
    const values = Object.fromEntries(expired.map(([, until], index) => [`:u${index}`, until]));
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leasesKey(userId),
          UpdateExpression: `REMOVE ${expired.map((_, index) => `leases.#s${index}`).join(', ')}`,
          ConditionExpression: expired.map((_, index) => `leases.#s${index} = :u${index}`).join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw error;
      }
      // one was renewed or cleared meanwhile: the next attempt reads the map again
    }
    return true;
  }

  /** An update of the user's leases; none when the item is gone (its TTL): then no lease holds a slot either. */
  private async updateExisting(
    userId: string,
    update: Pick<UpdateCommandInput, 'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
  ): Promise<void> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: leasesKey(userId), ...update }));
    } catch (error) {
      if (!isInvalidDocumentPath(error)) {
        rethrowAws('DynamoDB', error);
      }
    }
  }

  private async leasesOf(userId: string): Promise<Record<string, number>> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: leasesKey(userId), ConsistentRead: true }),
    );
    return (result.Item?.leases as Record<string, number> | undefined) ?? {};
  }

  private lease(leaseMs: number): { ':until': number; ':expiresAt': number } {
    const until = this.now() + leaseMs;
    // the item outlives its last lease by a day, then DynamoDB's TTL may remove it
    return { ':until': until, ':expiresAt': Math.ceil(until / 1000) + 86_400 };
  }
}
