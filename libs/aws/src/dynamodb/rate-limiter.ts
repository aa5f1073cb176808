import type { DynamoDB } from '@aws-sdk/client-dynamodb';
import { RateLimiterDynamo, RateLimiterRes } from 'rate-limiter-flexible';
import { DependencyUnavailableError } from '../errors/dependency.error.js';

/** A fixed window: at most `points` per `windowSeconds` for each key, counted under the policy's `name`. */
export interface RateLimitPolicy {
  name: string;
  points: number;
  windowSeconds: number;
}

/** Where a key stands in its policy's current window. */
export interface RateLimitStanding {
  /** false: this consumption went over the limit (it is counted all the same; see `reward`). */
  allowed: boolean;
  remaining: number;
  /** Whole seconds until the window ends and its points come back. */
  resetSeconds: number;
}

/** A consumption of several points at once, with the window's count (this consumption's included, even refused). */
export interface RateLimitTake extends RateLimitStanding {
  consumed: number;
}

/**
 * Counters shared by every api instance, in the rate-limits table (rate-limiter-flexible's DynamoDB store: one item
 * per key with `points` and `expire`, updated with atomic counters). Nothing is kept in process memory.
 *
 * A store failure is a DependencyUnavailableError (503), never "allow everything": every route that is limited also
 * reads or writes DynamoDB, so an api that cannot count could not serve the request either.
 */
export class RateLimiter {
  private readonly limiters = new Map<string, RateLimiterDynamo>();

  constructor(
    private readonly client: DynamoDB,
    private readonly tableName: string,
  ) {}

  async consume(policy: RateLimitPolicy, key: string, points = 1): Promise<RateLimitStanding> {
    const { consumed: _consumed, ...result } = await this.take(policy, key, points);
    return result;
  }

  /** `consume` that also tells how many points the window has counted (a batch's refusal says what was left). */
  async take(policy: RateLimitPolicy, key: string, points: number): Promise<RateLimitTake> {
    try {
      return taken(await this.limiter(policy).consume(key, points), true);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        return taken(error, false);
      }
      throw unavailable(error);
    }
  }

  /** Gives points back within the current window (a submission that consumed one and then created nothing). */
  async reward(policy: RateLimitPolicy, key: string, points = 1): Promise<void> {
    try {
      await this.limiter(policy).reward(key, points);
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** One library instance per policy shape: it holds the limit and the window, the counts live in the table. */
  private limiter({ name, points, windowSeconds }: RateLimitPolicy): RateLimiterDynamo {
    const id = `${name}:${points}:${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new IncrementFirstRateLimiterDynamo({
        storeClient: this.client,
        tableName: this.tableName,
        // provisioning (and Terraform) create the table with its TTL; the library must not try either
        tableCreated: true,
        ttlSet: true,
        // the counters are keyed by policy name only, so a user whose limit changes keeps the window's count
        keyPrefix: name,
        points,
        duration: windowSeconds,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** The library's internal upsert (rate-limiter-flexible 11: `_upsert` → `_baseUpsert`, each one UpdateItem). */
interface DynamoUpsert {
  _upsert(key: string, points: number, msDuration: number, forceExpire?: boolean): Promise<unknown>;
  _baseUpsert(params: object): Promise<unknown>;
}

/**
 * rate-limiter-flexible first tries "start a new window" and, when the key's window is still open (nearly every
 * request), fails that condition and increments in a second UpdateItem. This asks in the other order, so a request
 * in an open window costs one write instead of two; the conditions, and so the counts, are the library's.
 */
class IncrementFirstRateLimiterDynamo extends RateLimiterDynamo {
  private readonly table: string;

  constructor(options: ConstructorParameters<typeof RateLimiterDynamo>[0] & { tableName: string }) {
    super(options);
    this.table = options.tableName;
  }

  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<unknown> {
    const library = RateLimiterDynamo.prototype as unknown as DynamoUpsert;
    if (forceExpire || msDuration <= 0) {
      return library._upsert.call(this, key, points, msDuration, forceExpire);
    }
    try {
      return await library._baseUpsert.call(this, {
        TableName: this.table,
        Key: { key: { S: key } },
        UpdateExpression: 'SET points = points + :new_points',
        ExpressionAttributeValues: {
          ':new_points': { N: points.toString() },
          ':where_expire': { N: (Date.now() / 1000).toString() },
        },
        ConditionExpression: 'expire > :where_expire',
        ReturnValues: 'ALL_NEW',
      });
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') {
        throw error;
      }
      // no window yet, or it has ended: the library starts one (or increments, if another instance just did)
      return library._upsert.call(this, key, points, msDuration, forceExpire);
    }
  }
}

function taken(result: RateLimiterRes, allowed: boolean): RateLimitTake {
  return {
    allowed,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(0, Math.ceil(result.msBeforeNext / 1000)),
    consumed: result.consumedPoints,
  };
}

function unavailable(error: unknown): DependencyUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  return new DependencyUnavailableError('DynamoDB', `DynamoDB (rate limits) is unavailable: ${message}`, {
    cause: error,
  });
}
