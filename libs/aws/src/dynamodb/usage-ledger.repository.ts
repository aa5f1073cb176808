import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { FINAL_JOB_STATUSES, type JobStatus } from '#libs/contracts';
import { rethrowAws } from '../errors/dependency.error.js';
import { PLATFORM_SHARDS } from './platform-shard.js';
import { queryPage } from './query-page.js';
import { isInvalidDocumentPath } from './invalid-document-path.js';

/**
 * One month's usage item of the accounts table: `pk` = `usage#<YYYY-MM>`, `sk` = `user#<ownerId>`,
 * `key#<ownerId>#<keyId>` (what one API key's jobs used, next to its owner's other keys) or `platform#<shard>`.
 * Money is in whole micro-USD. `committedMicros` = what settled jobs cost + what open holds reserve; `holds` maps
 * each job still running to what its submission reserved.
 *
 * The platform's usage is spread over up to PLATFORM_SHARDS items, so that no single item holds every job in flight
 * (a write is billed by the whole item's size, and an item takes at most 1,000 write units a second and 400 KB).
 * Its totals are the sum of its shards; a job's hold is in exactly one of them.
 */
export type UsageScope =
  | { kind: 'user'; ownerId: string }
  | { kind: 'key'; ownerId: string; keyId: string }
  | { kind: 'platform'; shard: number };

/** A usage item, or the platform's shards together: what `get` reads and `settle` books. */
export type UsageTotalScope = UsageScope | { kind: 'platform' };

/** One job's reservation on a usage item. */
export interface JobHold {
  jobId: string;
  micros: number;
}

export interface UsageItemKey {
  month: string;
  scope: UsageScope;
}

export interface UsageTotalKey {
  month: string;
  scope: UsageTotalScope;
}

/** Final jobs counted per status. */
export type JobCounts = Record<(typeof FINAL_JOB_STATUSES)[number], number>;

export interface UsageRecord {
  month: string;
  scope: UsageTotalScope;
  jobs: JobCounts;
  /** Jobs reserved and not yet settled. */
  inFlight: number;
  gpuMs: number;
  costMicros: number;
  committedMicros: number;
}

export interface Settlement {
  status: JobStatus;
  /** What the job really used; absent when unknown (then the reservation stands as its cost). */
  actual?: { gpuMs: number; costMicros: number };
}

export type SettleOutcome = 'settled' | 'not-held';

export interface UsagePage {
  users: UsageRecord[];
  /** Owner id to continue after, when more users follow. */
  nextAfter?: string;
}

const USER_PREFIX = 'user#';
const keyPrefixOf = (ownerId: string): string => `key#${ownerId}#`;
/** More keys than any owner has (keys are created by hand); `listKeys` reads at most this many. */
export const MAX_KEYS_IN_USAGE = 1000;
const PLATFORM_PREFIX = 'platform#';
const countAttribute = (status: string): string => `jobs_${status}`;

const partitionOf = (month: string): string => `usage#${month}`;
function sortKeyOf(scope: UsageScope): string {
  switch (scope.kind) {
    case 'user':
      return `${USER_PREFIX}${scope.ownerId}`;
    case 'key':
      return `${keyPrefixOf(scope.ownerId)}${scope.keyId}`;
    case 'platform':
      if (!Number.isInteger(scope.shard) || scope.shard < 0 || scope.shard >= PLATFORM_SHARDS) {
        throw new RangeError(`no platform usage shard ${scope.shard}`);
      }
      // two digits: the shards sort in number order
      return `${PLATFORM_PREFIX}${String(scope.shard).padStart(2, '0')}`;
  }
}

const isShardless = (scope: UsageTotalScope): scope is { kind: 'platform' } =>
  scope.kind === 'platform' && !('shard' in scope);

function toRecord(month: string, item: Record<string, unknown> | undefined, scope: UsageTotalScope): UsageRecord {
  const number = (name: string): number => (typeof item?.[name] === 'number' ? item[name] : 0);
  const holds = (item?.holds ?? {}) as Record<string, unknown>;
  return {
    month,
    scope,
    jobs: Object.fromEntries(FINAL_JOB_STATUSES.map((status) => [status, number(countAttribute(status))])) as JobCounts,
    inFlight: Object.keys(holds).length,
    gpuMs: number('gpuMs'),
    costMicros: number('costMicros'),
    committedMicros: number('committedMicros'),
  };
}

/** The platform's shards added up. */
function sumOf(month: string, records: readonly UsageRecord[]): UsageRecord {
  const total = toRecord(month, undefined, { kind: 'platform' });
  for (const record of records) {
    for (const status of FINAL_JOB_STATUSES) {
      total.jobs[status] += record.jobs[status];
    }
    total.inFlight += record.inFlight;
    total.gpuMs += record.gpuMs;
    total.costMicros += record.costMicros;
    total.committedMicros += record.committedMicros;
  }
  return total;
}

/**
 * The monthly usage and budget ledger. Every change is one conditional UpdateItem on one item (DynamoDB Local and
 * dynalite have no transactions): a reservation adds a hold only while the committed amount leaves room for it,
 * and a settlement removes the hold and books the real cost in the same write, so it happens exactly once.
 */
export class UsageLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Holds `micros` for `jobId` when `committed + micros <= budgetMicros` (no budget: always). Returns false when the
   * budget has no room. Holding the same job again is true and changes nothing: the SDK retries a write whose answer
   * was lost (a timeout under load), and that retry must not read as "no room" for a hold its first attempt took.
   */
  async reserve(key: UsageItemKey, jobId: string, micros: number, budgetMicros?: number): Promise<boolean> {
    const values: Record<string, unknown> = { ':micros': micros };
    let condition = 'attribute_not_exists(holds.#job)';
    if (budgetMicros !== undefined) {
      const headroom = budgetMicros - micros;
      if (headroom < 0) {
        return false;
      }
      // conditions cannot add, so compare with the budget minus this job's estimate
      values[':headroom'] = headroom;
      condition += ' AND (attribute_not_exists(committedMicros) OR committedMicros <= :headroom)';
    }
    const held = await this.conditionalUpdate(key, {
      UpdateExpression: 'ADD committedMicros :micros SET holds.#job = :micros',
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#job': jobId },
      ExpressionAttributeValues: values,
    });
    return held || (await this.findHold(key, jobId))?.held === micros;
  }

  /**
   * Holds each job's estimate in ONE write, while `committed + total <= budgetMicros`: a batch is reserved whole or
   * not at all (false, nothing written). Each job gets its own hold, so each settles on its own (`settle`).
   * Ids must be new (a batch's fresh ULIDs): unlike `reserve`, an id already holding is not checked, which keeps the
   * expression within DynamoDB's 4 KB and 300-operator limits for 100 jobs.
   */
  async reserveMany(key: UsageItemKey, holds: readonly JobHold[], budgetMicros?: number): Promise<boolean> {
    const total = holds.reduce((sum, hold) => sum + hold.micros, 0);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':total': total };
    const assignments = holds.map((hold, index) => {
      names[`#j${index}`] = hold.jobId;
      values[`:m${index}`] = hold.micros;
      return `holds.#j${index} = :m${index}`;
    });
    let condition: string | undefined;
    if (budgetMicros !== undefined) {
      const headroom = budgetMicros - total;
      if (headroom < 0) {
        return false;
      }
      values[':headroom'] = headroom;
      condition = 'attribute_not_exists(committedMicros) OR committedMicros <= :headroom';
    }
    return this.conditionalUpdate(key, {
      UpdateExpression: `ADD committedMicros :total SET ${assignments.join(', ')}`,
      ...(condition ? { ConditionExpression: condition } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /**
   * Gives back holds that no job will settle, in one write conditioned on every one of them still being held as
   * reserved: false (nothing changed) when any of them is gone (given back already, or settled).
   */
  async releaseMany(key: UsageItemKey, holds: readonly JobHold[]): Promise<boolean> {
    if (holds.length === 0) {
      return true;
    }
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':back': -holds.reduce((sum, hold) => sum + hold.micros, 0) };
    const removals: string[] = [];
    const conditions: string[] = [];
    holds.forEach((hold, index) => {
      names[`#j${index}`] = hold.jobId;
      values[`:m${index}`] = hold.micros;
      removals.push(`holds.#j${index}`);
      conditions.push(`holds.#j${index} = :m${index}`);
    });
    return this.conditionalUpdate(key, {
      UpdateExpression: `REMOVE ${removals.join(', ')} ADD committedMicros :back`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /** Gives back a reservation of `micros` that no job will settle (the submission failed before the job existed). */
  async release(key: UsageItemKey, jobId: string, micros: number): Promise<boolean> {
    return this.conditionalUpdate(key, {
      UpdateExpression: 'REMOVE holds.#job ADD committedMicros :back',
      ConditionExpression: 'holds.#job = :micros',
      ExpressionAttributeNames: { '#job': jobId },
      ExpressionAttributeValues: { ':micros': micros, ':back': -micros },
    });
  }

  /**
   * Books a final job: removes its hold, moves `committedMicros` by (real - reserved) and counts the job, in one
   * write conditioned on the hold still being there. A second settlement of the same job finds no hold and changes
   * nothing ('not-held'), as does one for a job that never reserved.
   */
  async settle(key: UsageTotalKey, jobId: string, settlement: Settlement): Promise<SettleOutcome> {
    const hold = await this.findHold(key, jobId);
    if (!hold) {
      return 'not-held';
    }
    const { held } = hold;
    const costMicros = settlement.actual?.costMicros ?? held;
    const settled = await this.conditionalUpdate(hold.key, {
      UpdateExpression: 'REMOVE holds.#job ADD committedMicros :delta, #count :one, gpuMs :gpuMs, costMicros :cost',
      ConditionExpression: 'holds.#job = :held',
      ExpressionAttributeNames: { '#job': jobId, '#count': countAttribute(settlement.status) },
      ExpressionAttributeValues: {
        ':held': held,
        ':delta': costMicros - held,
        ':one': 1,
        ':gpuMs': settlement.actual?.gpuMs ?? 0,
        ':cost': costMicros,
      },
    });
    // a concurrent settlement of the same job won the condition
    return settled ? 'settled' : 'not-held';
  }

  /** The item holding `jobId` and what it holds; for the platform, whichever shard took the hold. */
  private async findHold(key: UsageTotalKey, jobId: string): Promise<{ key: UsageItemKey; held: number } | undefined> {
    const holdIn = (item: Record<string, unknown> | undefined): unknown =>
      (item?.holds as Record<string, unknown> | undefined)?.[jobId];
    const { month, scope } = key;
    if (!isShardless(scope)) {
      const itemKey = { month, scope };
      const held = holdIn(await this.getItem(itemKey));
      return typeof held === 'number' ? { key: itemKey, held } : undefined;
    }
    for (const shard of await this.platformShards(month)) {
      const held = holdIn(shard.item);
      if (typeof held === 'number') {
        return { key: { month, scope: { kind: 'platform', shard: shard.shard } }, held };
      }
    }
    return undefined;
  }

  /** One item's usage; for the platform without a shard, all its shards added up. */
  async get({ month, scope }: UsageTotalKey): Promise<UsageRecord> {
    if (isShardless(scope)) {
      return sumOf(month, await this.getPlatformShards(month));
    }
    return toRecord(month, await this.getItem({ month, scope }), scope);
  }

  /** The month's platform shards that have been written, in shard order. */
  async getPlatformShards(month: string): Promise<UsageRecord[]> {
    return (await this.platformShards(month)).map(({ shard, item }) =>
      toRecord(month, item, { kind: 'platform', shard }),
    );
  }

  private async platformShards(month: string): Promise<{ shard: number; item: Record<string, unknown> }[]> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :platform)',
        ExpressionAttributeValues: { ':pk': partitionOf(month), ':platform': PLATFORM_PREFIX },
        ConsistentRead: true,
      },
      PLATFORM_SHARDS,
    );
    return page.items.map((item) => ({ shard: Number(String(item.sk).slice(PLATFORM_PREFIX.length)), item }));
  }

  /** One page of the month's users, in owner-id order. */
  async listUsers(month: string, { limit, after }: { limit: number; after?: string }): Promise<UsagePage> {
    const users: UsageRecord[] = [];
    let startKey: Record<string, unknown> | undefined =
      after === undefined ? undefined : { pk: partitionOf(month), sk: `${USER_PREFIX}${after}` };
    try {
      // DynamoDB stops at 1 MB per query: keep reading until the page is full or the partition ends
      do {
        const result = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
            ExpressionAttributeValues: { ':pk': partitionOf(month), ':user': USER_PREFIX },
            ConsistentRead: true,
            Limit: limit - users.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of result.Items ?? []) {
          const ownerId = String(item.sk).slice(USER_PREFIX.length);
          users.push(toRecord(month, item, { kind: 'user', ownerId }));
        }
        startKey = result.LastEvaluatedKey;
      } while (startKey && users.length < limit);
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
    const last = users.at(-1);
    return startKey && last?.scope.kind === 'user' ? { users, nextAfter: last.scope.ownerId } : { users };
  }

  /** The month's usage of each of the owner's API keys that submitted jobs (revoked ones too), in key id order. */
  async listKeys(month: string, ownerId: string): Promise<UsageRecord[]> {
    const prefix = keyPrefixOf(ownerId);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitionOf(month), ':prefix': prefix },
        ConsistentRead: true,
      },
      MAX_KEYS_IN_USAGE,
    );
    return page.items.map((item) =>
      toRecord(month, item, { kind: 'key', ownerId, keyId: String(item.sk).slice(prefix.length) }),
    );
  }

  private async getItem(key: UsageItemKey): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: partitionOf(key.month), sk: sortKeyOf(key.scope) },
          ConsistentRead: true,
        }),
      );
      return result.Item;
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /** One conditional UpdateItem; false when its condition failed. Creates the `holds` map the first time. */
  private async conditionalUpdate(
    key: UsageItemKey,
    update: Pick<
      ConstructorParameters<typeof UpdateCommand>[0],
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    const command = () =>
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: partitionOf(key.month), sk: sortKeyOf(key.scope) },
        ...update,
      });
    try {
      try {
        await this.client.send(command());
      } catch (error) {
        if (!isInvalidDocumentPath(error)) {
          throw error;
        }
        // `holds.#job` needs the map to exist; creating it is idempotent, then the same write again
        await this.ensureHoldsMap(key);
        await this.client.send(command());
      }
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return false;
      }
      return rethrowAws('DynamoDB', error);
    }
  }

  private async ensureHoldsMap(key: UsageItemKey): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: partitionOf(key.month), sk: sortKeyOf(key.scope) },
        UpdateExpression: 'SET holds = if_not_exists(holds, :empty)',
        ExpressionAttributeValues: { ':empty': {} },
      }),
    );
  }
}
