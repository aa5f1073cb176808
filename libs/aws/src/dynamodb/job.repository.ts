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
import type { Job, JobStepProgress } from '#libs/contracts';
import {
  ACTIVE_JOB_STATUSES,
  isExpiredJob,
  isFinalStatus,
  JOB_STATUSES,
  JobStatus,
  JobSubmission,
} from '#libs/contracts';
import { DependencyUnavailableError, rethrowAws } from '../errors/dependency.error.js';
import { jobIndexShard } from './job-index-shards.js';
import { isTombstone, type JobDeletion, toDeletion } from './deleted-jobs.js';
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
  /**
   * Jobs not yet settled: `activeShard` is written with the job and removed once its final state has been reported to
   * the final-state listeners (markSettled), so the reaper finds a final job whose report a crash cut short.
   */
  byDeadline: { partitionKey: 'activeShard', sortKey: 'deadlineAt' },
  /** Every job with an `expiresAt` (the TTL attribute, a number) until it is deleted. */
  byExpiry: { partitionKey: 'expiryShard', sortKey: 'expiresAt', sortKeyType: 'N' },
  /**
   * Sparse: only unfinished jobs carry `activeEndpoint` (removed when the job becomes final), so a job's position
   * in its endpoint's queue is a Query of the ids before it, never a scan.
   */
  byEndpointActive: { partitionKey: 'activeEndpoint', sortKey: 'jobId' },
  /** An owner's jobs by last write: what the per-user event stream polls for changes. */
  byOwnerUpdated: { partitionKey: 'ownerId', sortKey: 'updatedAt' },
} as const;

/** The stored item: the job plus the keys of the owner+status, lifecycle and active-by-endpoint indexes. */
type JobItem = Job & { ownerStatus: string; activeShard?: string; expiryShard?: string; activeEndpoint?: string };

/** Index keys that only unfinished jobs carry: the write that makes a job final removes them. */
/** Removed by the write that makes a job final (`activeShard` stays until the final state is reported). */
const ACTIVE_ONLY_ATTRIBUTES = ['activeEndpoint'];

/**
 * Told of the writes that matter to metrics: `finalized` once per job, by the one conditional write that made it
 * final (a duplicate or late report of the same end is refused by that condition, so it is never told twice). It
 * must not throw.
 */
export interface JobWriteObserver {
  finalized?(job: Job): void;
}

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
  /**
   * The job as the caller read it. The answer is built from it, and the write returns only what it wrote, unless
   * another write came in between: then the job is read again.
   */
  job: Job;
  /** The transition happens only from one of these states. */
  from: readonly JobStatus[];
  to: JobStatus;
  /** Top-level job attributes to set along with the status (one left undefined is not written). */
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
    activeEndpoint: _activeEndpoint,
    ...job
  } = item as unknown as JobItem;
  return job;
}

/** The caller's copy of a job, and what a write changes in it (`updatedAt` and `version` come from the write). */
interface KnownJob {
  job: Job;
  apply: (job: Job) => Job;
}

/** One conditional update of a job; `updateWhileIn` adds the version bump (and `updatedAt` when not set here). */
interface JobUpdate {
  assignments: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
  /** Attributes (plain names) to REMOVE in the same write. */
  removals?: string[];
  /** ANDed with the status condition. */
  condition?: string;
}

/** A write to one of an owner's jobs: its new state, or its deletion. */
export type JobChange = { job: Job; deletion?: never } | { deletion: JobDeletion; job?: never };

export interface UpdatedSincePage {
  /** The changes stamped at or after the asked instant (`updatedAt`, a deletion's `deletedAt`), oldest first. */
  changes: JobChange[];
  hasMore: boolean;
}

/** Jobs in DynamoDB. Every state change is a conditional write, so duplicate or late events change nothing. */
export class JobRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Expired jobs (past `expiresAt` at this time) are read as absent. */
    private readonly now: () => number = Date.now,
    private readonly observer: JobWriteObserver = {},
  ) {}

  /** Writes a new job; fails if the id exists (a ULID collision or a replayed create). */
  async create(job: Job): Promise<void> {
    const shard = jobIndexShard(job.jobId);
    const item: JobItem = {
      ...job,
      version: 1,
      ownerStatus: ownerStatusKey(job.ownerId, job.status),
      ...(isFinalStatus(job.status) ? {} : { activeShard: shard, activeEndpoint: job.endpointName }),
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
        // expired jobs are left out (AWS deletes them up to days late), and deleted ones (their tombstones)
        FilterExpression:
          '(attribute_not_exists(#expiresAt) OR #expiresAt > :nowSeconds) AND attribute_not_exists(#deletedAt)',
        ExpressionAttributeNames: {
          ...keyCondition.ExpressionAttributeNames,
          '#expiresAt': 'expiresAt',
          '#deletedAt': 'deletedAt',
        },
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
      yield (result.Items ?? []).flatMap((item) => (isTombstone(item) ? [] : (this.unexpired(toJob(item)) ?? [])));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }

  /**
   * The job's final state has been reported to every final-state listener: it leaves the index of unsettled jobs
   * (`byDeadline`). Not a change of the job: no version, no `updatedAt`. Only a final job can be marked.
   */
  async markSettled(jobId: string): Promise<void> {
    const final = JOB_STATUSES.filter(isFinalStatus);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { jobId },
          UpdateExpression: 'REMOVE #activeShard',
          ConditionExpression: `attribute_exists(jobId) AND #status IN (${final.map((_, i) => `:f${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#activeShard': 'activeShard', '#status': 'status' },
          ExpressionAttributeValues: Object.fromEntries(final.map((status, i) => [`:f${i}`, status])),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return;
      }
      rethrowAws('DynamoDB', error);
    }
  }

  /**
   * Moves a job from one of `from` to `to`, setting `set` in the same write.
   * Returns the updated job, or undefined when the job was not in an allowed state (already finalized).
   */
  async transition({ job, from, to, set = {} }: JobTransition): Promise<Job | undefined> {
    const written = Object.entries(set).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = { '#status': 'status', '#ownerStatus': 'ownerStatus' };
    const values: Record<string, unknown> = { ':to': to, ':ownerStatus': ownerStatusKey(job.ownerId, to) };
    const assignments = ['#status = :to', '#ownerStatus = :ownerStatus'];
    written.forEach(([attribute, value], index) => {
      names[`#a${index}`] = attribute;
      values[`:a${index}`] = value;
      assignments.push(`#a${index} = :a${index}`);
    });
    // a final job leaves the index of active jobs per endpoint in the same write (byDeadline once it is reported)
    const removals = isFinalStatus(to) ? ACTIVE_ONLY_ATTRIBUTES : [];
    // only from the expected states: a duplicate or late notification must not touch a final job
    return this.updateWhileIn(
      job.jobId,
      from,
      { assignments, names, values, removals },
      { job, apply: (read) => ({ ...read, ...Object.fromEntries(written), status: to }) },
    );
  }

  /**
   * QUEUED → RUNNING when the model reports it started (`startedAt`), with the step it reported if any. Undefined
   * when the job is no longer QUEUED (already running, or final): a late or repeated "started" changes nothing.
   * `job` is the job as the caller read it (see `transition`).
   */
  async markStarted(
    job: Job,
    { startedAt, steps }: { startedAt: string; steps?: JobStepProgress },
  ): Promise<Job | undefined> {
    const names: Record<string, string> = {
      '#status': 'status',
      '#ownerStatus': 'ownerStatus',
      '#timings': 'timings',
      '#startedAt': 'startedAt',
    };
    const values: Record<string, unknown> = {
      ':running': JobStatus.Running,
      ':ownerStatus': ownerStatusKey(job.ownerId, JobStatus.Running),
      ':startedAt': startedAt,
    };
    const assignments = ['#status = :running', '#ownerStatus = :ownerStatus', '#timings.#startedAt = :startedAt'];
    if (steps) {
      names['#steps'] = 'steps';
      values[':steps'] = steps;
      assignments.push('#steps = :steps');
    }
    return this.updateWhileIn(
      job.jobId,
      [JobStatus.Queued],
      { assignments, names, values },
      {
        job,
        apply: (read) => ({
          ...read,
          status: JobStatus.Running,
          timings: { ...read.timings, startedAt },
          ...(steps ? { steps } : {}),
        }),
      },
    );
  }

  /**
   * The step a RUNNING job's model reported, only forward: undefined when the job is not RUNNING or already at
   * this step or a later one (duplicates and out-of-order messages change nothing).
   */
  async recordStep(jobId: string, steps: JobStepProgress): Promise<Job | undefined> {
    return this.updateWhileIn(jobId, [JobStatus.Running], {
      assignments: ['#steps = :steps'],
      names: { '#status': 'status', '#steps': 'steps', '#step': 'step' },
      values: { ':steps': steps, ':step': steps.step },
      condition: '(attribute_not_exists(#steps) OR #steps.#step < :step)',
    });
  }

  /**
   * How many unfinished jobs of `endpointName` were submitted before `jobId` (ULIDs sort by time), counting at most
   * `cap`. A Query of the sparse active index with Select COUNT: DynamoDB still reads (and bills) every counted
   * item, about 0.5 read units per 4 KB of items, so the count stops at `cap`.
   */
  async countActiveBefore(endpointName: string, jobId: string, cap: number): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const result = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'byEndpointActive',
            KeyConditionExpression: '#pk = :pk AND #sk < :jobId',
            ExpressionAttributeNames: { '#pk': 'activeEndpoint', '#sk': 'jobId' },
            ExpressionAttributeValues: { ':pk': endpointName, ':jobId': jobId },
            Select: 'COUNT',
            Limit: cap - count,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        count += result.Count ?? 0;
        startKey = result.LastEvaluatedKey;
      } while (startKey && count < cap);
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
    return Math.min(count, cap);
  }

  /** The owner's job writes and deletions at or after `since` (ISO 8601), oldest first, at most `limit`. */
  async updatedSince(ownerId: string, since: string, limit: number): Promise<UpdatedSincePage> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'byOwnerUpdated',
        KeyConditionExpression: '#pk = :pk AND #sk >= :since',
        ExpressionAttributeNames: { '#pk': 'ownerId', '#sk': 'updatedAt' },
        ExpressionAttributeValues: { ':pk': ownerId, ':since': since },
        ScanIndexForward: true,
      },
      limit,
    );
    return {
      changes: page.items.map((item) => (isTombstone(item) ? { deletion: toDeletion(item) } : { job: toJob(item) })),
      hasMore: page.hasMore,
    };
  }

  /** Readiness probe: the table exists and answers. */
  async ping(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
  }

  /**
   * Records what InvokeEndpointAsync answered on `job` (as its caller wrote it), leaving the status as it is: where
   * SageMaker will write the output (`confirmed`), or that it never confirmed taking the job (`unconfirmed`). Only
   * while the job is still active: its notification may already have finalized it, and then nothing is written and
   * the answer is undefined. The answer is `job` with the record applied, not read back (the write returns only what
   * it wrote), unless another write came in between, such as the model's "started": then the job is read.
   */
  async recordInvocation(job: Job, record: InvocationRecord): Promise<Job | undefined> {
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
    return this.updateWhileIn(
      job.jobId,
      ACTIVE_JOB_STATUSES,
      { assignments, names, values },
      { job, apply: (known) => withInvocation(known, record) },
    );
  }

  /**
   * The job after `conditionalUpdate`: built from `known` when the caller has the job, else the whole item the write
   * returns. Tells the observer when the write made the job final.
   */
  private async updateWhileIn(
    jobId: string,
    statuses: readonly JobStatus[],
    update: JobUpdate,
    known?: KnownJob,
  ): Promise<Job | undefined> {
    const attributes = await this.conditionalUpdate(jobId, statuses, update, known ? 'UPDATED_NEW' : 'ALL_NEW');
    const written = attributes && (known ? await this.withWrite(known, attributes) : toJob(attributes));
    if (written && isFinalStatus(written.status) && !statuses.some(isFinalStatus)) {
      this.observer.finalized?.(written);
    }
    return written;
  }

  /** The known job with the write applied, unless another write came in between (a version skipped): then read. */
  private async withWrite({ job, apply }: KnownJob, written: Record<string, unknown>): Promise<Job | undefined> {
    // a job without a version is one as created (version 1)
    if (written.version !== (job.version ?? 1) + 1) {
      return this.get(job.jobId);
    }
    return { ...apply(job), updatedAt: written.updatedAt as string, version: written.version };
  }

  /**
   * One conditional `SET` on an existing job whose status is one of `statuses` (`#status` must be in `names`).
   * Every write goes through here, so here `version` goes up by one and `updatedAt` is set (unless the update sets
   * it itself): the event streams see every change. Returns the attributes `returnValues` asks for, or undefined when
   * the job is missing or in another state.
   */
  private async conditionalUpdate(
    jobId: string,
    statuses: readonly JobStatus[],
    update: JobUpdate,
    returnValues: 'ALL_NEW' | 'UPDATED_NEW',
  ): Promise<Record<string, unknown> | undefined> {
    const values: Record<string, unknown> = { ...update.values, ':versionStep': 1 };
    const names: Record<string, string> = { ...update.names, '#version': 'version' };
    const assignments = [...update.assignments];
    if (!Object.values(update.names).includes('updatedAt')) {
      names['#updatedAt'] = 'updatedAt';
      values[':updatedAt'] = new Date().toISOString();
      assignments.push('#updatedAt = :updatedAt');
    }
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
            `SET ${assignments.join(', ')} ADD #version :versionStep` +
            (removals.length > 0 ? ` REMOVE ${removals.join(', ')}` : ''),
          ConditionExpression:
            `attribute_exists(jobId) AND #status IN (${allowed.join(', ')})` +
            (update.condition ? ` AND ${update.condition}` : ''),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: returnValues,
        }),
      );
      return result.Attributes;
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

/** `job` with `record` applied, as `recordInvocation` writes it (the version aside). */
export function withInvocation(job: Job, record: InvocationRecord): Job {
  return {
    ...job,
    updatedAt: record.at,
    submission: record.submission,
    ...(record.submission === JobSubmission.Confirmed
      ? {
          outputLocation: record.outputLocation,
          ...(record.failureLocation ? { failureLocation: record.failureLocation } : {}),
          timings: { ...job.timings, invokedAt: record.at },
        }
      : {}),
  };
}
