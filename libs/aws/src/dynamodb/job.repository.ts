import { ConditionalCheckFailedException, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Job, JobStatus } from '#libs/contracts';
import { ACTIVE_JOB_STATUSES, isExpiredJob, isFinalStatus, JobSubmission } from '#libs/contracts';
import { DependencyUnavailableError, rethrowAws } from '../errors/dependency.error.js';
import { jobIndexShard } from './job-index-shards.js';
import { isTombstone } from './deleted-jobs.js';
import { queryPage } from './query-page.js';

/**
 * The jobs table (key `jobId`) and its secondary indexes: an owner's jobs newest first (ULIDs sort by time), and
 * the same per status; the active jobs by deadline, and every job by expiry (both sparse and sharded, for the
 * worker's reaper: see job-lifecycle.repository.ts). Provisioning and Terraform create exactly these.
 */
export const JOBS_TABLE_INDEXES = {
  byOwner: { partitionKey: 'ownerId', sortKey: 'jobId' },
  /** `ownerStatus` is `<ownerId>#<status>`. */
  byOwnerStatus: { partitionKey: 'ownerStatus', sortKey: 'jobId' },
  /** Only active jobs: `activeShard` is written with the job and removed by the write that makes it final. */
  byDeadline: { partitionKey: 'activeShard', sortKey: 'deadlineAt' },
  /** Every job with an `expiresAt` (the TTL attribute, a number) until it is deleted. */
  byExpiry: { partitionKey: 'expiryShard', sortKey: 'expiresAt', sortKeyType: 'N' },
} as const;

/** The stored item: the job plus the keys of the owner+status and lifecycle indexes. */
type JobItem = Job & { ownerStatus: string; activeShard?: string; expiryShard?: string };

export interface JobPage {
  /** At most `limit` jobs, newest first. */
  jobs: Job[];
  /** More jobs follow the last one: list again with `after` set to its id. */
  hasMore: boolean;
}

export interface ListJobsOptions {
  limit: number;
  status?: JobStatus;
  /** Resume after this job: only older jobs are listed. */
  after?: string;
}

export interface JobTransition {
  jobId: string;
  ownerId: string;
  /** The transition happens only from one of these states. */
  from: readonly JobStatus[];
  to: JobStatus;
  /** Top-level job attributes to set along with the status. */
  set?: Partial<Omit<Job, 'jobId' | 'ownerId' | 'status'>>;
}

/** BatchGetItem's limit of keys per call. */
const BATCH_GET_MAX_KEYS = 100;
const BATCH_GET_MAX_ATTEMPTS = 5;

const ownerStatusKey = (ownerId: string, status: JobStatus): string => `${ownerId}#${status}`;

export function toJob(item: Record<string, unknown>): Job {
  const {
    ownerStatus: _ownerStatus,
    activeShard: _activeShard,
    expiryShard: _expiryShard,
    ...job
  } = item as unknown as JobItem;
  return job;
}

/** Jobs in DynamoDB. Every state change is a conditional write, so duplicate or late events change nothing. */
export class JobRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Expired jobs (past `expiresAt` at this time) are read as absent. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes a new job; fails if the id exists (a ULID collision or a replayed create). */
  async create(job: Job): Promise<void> {
    const shard = jobIndexShard(job.jobId);
    const item: JobItem = {
      ...job,
      ownerStatus: ownerStatusKey(job.ownerId, job.status),
      ...(isFinalStatus(job.status) ? {} : { activeShard: shard }),
      ...(job.expiresAt !== undefined ? { expiryShard: shard } : {}),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          // never overwrite a job: ids are unique and creation happens once
          ConditionExpression: 'attribute_not_exists(jobId)',
        }),
      );
    } catch (error) {
      rethrowAws('DynamoDB', error);
    }
  }

  async get(jobId: string): Promise<Job | undefined> {
    try {
      const result = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { jobId }, ConsistentRead: true }),
      );
      // a deleted job's tombstone is no job, nor is one past its retention
      return result.Item && !isTombstone(result.Item) ? this.unexpired(toJob(result.Item)) : undefined;
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /** An expired job counts as deleted, as it soon will be (DynamoDB TTL, or the reaper locally). */
  private unexpired(job: Job): Job | undefined {
    return isExpiredJob(job, this.now()) ? undefined : job;
  }

  /**
   * Many jobs by id (BatchGetItem, 100 keys per call, strongly consistent), in the order asked; ids with no job are
   * left out. Keys DynamoDB leaves unprocessed (throttling) are asked again, a few times with a growing pause.
   */
  async getMany(jobIds: readonly string[]): Promise<Job[]> {
    const found = new Map<string, Job>();
    try {
      for (let start = 0; start < jobIds.length; start += BATCH_GET_MAX_KEYS) {
        let keys: Record<string, unknown>[] = jobIds
          .slice(start, start + BATCH_GET_MAX_KEYS)
          .map((jobId) => ({ jobId }));
        for (let attempt = 0; keys.length > 0; attempt += 1) {
          if (attempt === BATCH_GET_MAX_ATTEMPTS) {
            throw new DependencyUnavailableError(
              'DynamoDB',
              `DynamoDB left ${keys.length} keys unprocessed after ${attempt} attempts`,
            );
          }
          if (attempt > 0) {
            await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
          }
          const result = await this.client.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of (result.Responses?.[this.tableName] ?? []).filter((entry) => !isTombstone(entry))) {
            const job = this.unexpired(toJob(item));
            if (job) {
              found.set(job.jobId, job);
            }
          }
          keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
        }
      }
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
    return jobIds.flatMap((jobId) => found.get(jobId) ?? []);
  }

  /**
   * The owner's jobs, newest first (ULIDs sort by time), resuming after a job id rather than at DynamoDB's
   * LastEvaluatedKey: any job id is a valid position in either index, even once that job has left the status.
   */
  async listByOwner(ownerId: string, { limit, status, after }: ListJobsOptions): Promise<JobPage> {
    const [indexName, partition] = status
      ? (['byOwnerStatus', ownerStatusKey(ownerId, status)] as const)
      : (['byOwner', ownerId] as const);
    const index = JOBS_TABLE_INDEXES[indexName];
    const keyCondition: Pick<
      QueryCommandInput,
      'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    > =
      after === undefined
        ? {
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.partitionKey },
            ExpressionAttributeValues: { ':pk': partition },
          }
        : {
            KeyConditionExpression: '#pk = :pk AND #sk < :after',
            ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
            ExpressionAttributeValues: { ':pk': partition, ':after': after },
          };
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: indexName,
        ...keyCondition,
        // expired jobs are left out (AWS deletes them up to days late)
        FilterExpression: 'attribute_not_exists(#expiresAt) OR #expiresAt > :nowSeconds',
        ExpressionAttributeNames: { ...keyCondition.ExpressionAttributeNames, '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: {
          ...keyCondition.ExpressionAttributeValues,
          ':nowSeconds': Math.floor(this.now() / 1000),
        },
        ScanIndexForward: false,
      },
      limit,
    );
    return { jobs: page.items.map(toJob), hasMore: page.hasMore };
  }

  /**
   * The owner's jobs whose ids lie in [`from`, `to`] (ULIDs sort by time, so an id range is a time range), oldest
   * first, one DynamoDB page at a time: a caller that stops iterating reads no further page.
   */
  async *pagesByOwnerBetween(
    ownerId: string,
    { from, to, pageSize }: { from: string; to: string; pageSize?: number },
  ): AsyncGenerator<Job[]> {
    const index = JOBS_TABLE_INDEXES.byOwner;
    let startKey: Record<string, unknown> | undefined;
    do {
      let result;
      try {
        result = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'byOwner',
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
            ExpressionAttributeValues: { ':pk': ownerId, ':from': from, ':to': to },
            ScanIndexForward: true,
            ...(pageSize !== undefined ? { Limit: pageSize } : {}),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
      } catch (error) {
        return rethrowAws('DynamoDB', error);
      }
      yield (result.Items ?? []).flatMap((item) => this.unexpired(toJob(item)) ?? []);
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }

  /**
   * Moves a job from one of `from` to `to`, setting `set` in the same write.
   * Returns the updated job, or undefined when the job was not in an allowed state (already finalized).
   */
  async transition({ jobId, ownerId, from, to, set = {} }: JobTransition): Promise<Job | undefined> {
    const names: Record<string, string> = { '#status': 'status', '#ownerStatus': 'ownerStatus' };
    const values: Record<string, unknown> = { ':to': to, ':ownerStatus': ownerStatusKey(ownerId, to) };
    const assignments = ['#status = :to', '#ownerStatus = :ownerStatus'];
    Object.entries(set).forEach(([attribute, value], index) => {
      if (value === undefined) {
        return;
      }
      names[`#a${index}`] = attribute;
      values[`:a${index}`] = value;
      assignments.push(`#a${index} = :a${index}`);
    });
    // a final job leaves the index of active jobs in the same write
    const removals = isFinalStatus(to) ? ['activeShard'] : [];
    // only from the expected states: a duplicate or late notification must not touch a final job
    return this.updateWhileIn(jobId, from, { assignments, names, values, removals });
  }

  /** Readiness probe: the table exists and answers. */
  async ping(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
  }

  /**
   * Records what InvokeEndpointAsync answered, leaving the status as it is: where SageMaker will write the output
   * (`confirmed`), or that it never confirmed taking the job (`unconfirmed`). Only while the job is still active:
   * its notification may already have finalized it, and then nothing is written and the answer is undefined.
   */
  async recordInvocation(jobId: string, record: InvocationRecord): Promise<Job | undefined> {
    const names: Record<string, string> = {
      '#status': 'status',
      '#submission': 'submission',
      '#updatedAt': 'updatedAt',
    };
    const values: Record<string, unknown> = { ':submission': record.submission, ':at': record.at };
    const assignments = ['#submission = :submission', '#updatedAt = :at'];
    if (record.submission === JobSubmission.Confirmed) {
      Object.assign(names, {
        '#timings': 'timings',
        '#invokedAt': 'invokedAt',
        '#outputLocation': 'outputLocation',
      });
      values[':outputLocation'] = record.outputLocation;
      // only the one timing: the whole map may meanwhile hold more than this writer knows of
      assignments.push('#timings.#invokedAt = :at', '#outputLocation = :outputLocation');
      if (record.failureLocation) {
        names['#failureLocation'] = 'failureLocation';
        values[':failureLocation'] = record.failureLocation;
        assignments.push('#failureLocation = :failureLocation');
      }
    }
    return this.updateWhileIn(jobId, ACTIVE_JOB_STATUSES, { assignments, names, values });
  }

  /**
   * One conditional `SET` on an existing job whose status is one of `statuses` (`#status` must be in `names`).
   * Returns the updated job, or undefined when the job is missing or in another state.
   */
  private async updateWhileIn(
    jobId: string,
    statuses: readonly JobStatus[],
    update: {
      assignments: string[];
      names: Record<string, string>;
      values: Record<string, unknown>;
      /** Attributes to remove in the same write. */
      removals?: string[];
    },
  ): Promise<Job | undefined> {
    const values = { ...update.values };
    const names = { ...update.names };
    const removals = (update.removals ?? []).map((attribute, index) => {
      names[`#r${index}`] = attribute;
      return `#r${index}`;
    });
    const allowed = statuses.map((status, index) => {
      values[`:in${index}`] = status;
      return `:in${index}`;
    });
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { jobId },
          UpdateExpression:
            `SET ${update.assignments.join(', ')}` + (removals.length > 0 ? ` REMOVE ${removals.join(', ')}` : ''),
          ConditionExpression: `attribute_exists(jobId) AND #status IN (${allowed.join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? toJob(result.Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return undefined;
      }
      return rethrowAws('DynamoDB', error);
    }
  }
}

/** What `recordInvocation` writes; `at` is when the answer (or the lack of one) came. */
export type InvocationRecord =
  | {
      submission: typeof JobSubmission.Confirmed;
      at: string;
      outputLocation: string;
      failureLocation?: string;
    }
  | { submission: typeof JobSubmission.Unconfirmed; at: string };
