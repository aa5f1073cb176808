import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import pLimit from 'p-limit';
import { monotonicFactory, ulid } from 'ulid';
import { BatchRepository, type BatchRecord, JobRepository } from '#libs/aws';
import { type Job, JobErrorCode } from '#libs/contracts';
import { ModelParamsError, type ModelParamsIssue } from '#libs/models';
import type { AuthUser } from '../auth/auth-user.js';
import { isAdmin } from '../auth/roles.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { DEFAULT_PAGE_SIZE } from '../jobs/dto/list-jobs.query.js';
import { type CursorScope, JobCursorCodec } from '../jobs/job-cursor.js';
import { type InvocationOutcome, JobsService, type PreparedJob } from '../jobs/jobs.service.js';
import { type BatchAdmission, JobAdmission } from '../limits/job-admission.js';
import { ProblemException } from '../problem/problem.js';
import { type BatchBudgetReservation, BudgetService } from '../usage/budget.service.js';
import { batchJobRequests } from './batch-requests.js';
import type { CreateBatchDto } from './dto/create-batch.dto.js';

/** Request objects and job rows written at once per batch (S3 and DynamoDB, not the model's endpoint). */
const STORAGE_CONCURRENCY = 10;
const BATCH_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export interface SubmittedBatch {
  batchId: string;
  createdAt: string;
  /** In submission order, as their invocations left them. */
  jobs: Job[];
}

export interface BatchWithJobs {
  batch: BatchRecord;
  jobs: Job[];
}

export interface BatchListPage {
  batches: { batchId: string; createdAt: string; jobCount: number }[];
  nextCursor?: string;
}

/**
 * Submits many jobs as one batch, each created as POST /v1/jobs creates it (JobsService's prepare, store and
 * invoke), and the batch as a whole is admitted: all of its jobs fit the quotas and the budgets, or none is taken.
 *
 * Order: every job validated and resolved (a 400 costs nothing); quotas for all jobs (one conditional write each);
 * budget holds for all jobs (one conditional write per ledger item, the batch's total against what is left); every
 * request object and job row, then the batch item; only then the invocations. If any write fails, nothing is
 * invoked: the holds and quotas of the jobs not written are given back, and the jobs already written are FAILED
 * (BATCH_INCOMPLETE, at no cost), which gives back theirs. Invocations then go out at most
 * BATCH_INVOKE_CONCURRENCY at a time, so one batch enters the endpoint's queue a few jobs at a time.
 */
@Injectable()
export class BatchesService {
  private readonly cursors: JobCursorCodec;

  constructor(
    private readonly submissions: JobsService,
    private readonly batches: BatchRepository,
    private readonly jobs: JobRepository,
    private readonly admission: JobAdmission,
    private readonly budget: BudgetService,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.logger.setContext(BatchesService.name);
    this.cursors = new JobCursorCodec(config.jobs.cursorSecret, 'imggen/batches-cursor');
  }

  async create(user: AuthUser, body: CreateBatchDto): Promise<SubmittedBatch> {
    const batchId = ulid();
    const createdAt = new Date().toISOString();
    const prepared = this.prepareAll(user, body, batchId, createdAt);
    const jobIds = prepared.map(({ job }) => job.jobId);
    this.logger.assign({ batchId });

    const admission = await this.admission.admitBatch(user, jobIds);
    let reservation: BatchBudgetReservation;
    try {
      reservation = await this.budget.reserveBatch(
        user,
        prepared.map(({ job }) => ({ jobId: job.jobId, params: job.params, createdAt })),
      );
    } catch (error) {
      await admission.giveBack(jobIds);
      throw error;
    }
    if (reservation.platformShard !== undefined) {
      for (const { job } of prepared) {
        job.usageShard = reservation.platformShard;
      }
    }
    await this.writeAll({ batchId, ownerId: user.id, createdAt, jobIds }, prepared, admission, reservation);

    const outcomes = await this.invokeAll(prepared);
    const refused = outcomes.filter((outcome) => outcome.refused).length;
    this.logger.info({ jobs: jobIds.length, refused }, 'batch submitted');
    return { batchId, createdAt, jobs: outcomes.map((outcome) => outcome.job) };
  }

  /** The caller's batch (anyone's for an administrator) and its jobs as they stand. */
  async get(user: AuthUser, batchId: string): Promise<BatchWithJobs> {
    const batch = BATCH_ID.test(batchId) ? await this.batches.get(batchId) : undefined;
    if (!batch || (batch.ownerId !== user.id && !isAdmin(user))) {
      throw ProblemException.notFound(`No batch ${batchId}`);
    }
    return { batch, jobs: await this.jobs.getMany(batch.jobIds) };
  }

  /** A page of the caller's batches, newest first. */
  async list(user: AuthUser, options: { limit?: number; cursor?: string }): Promise<BatchListPage> {
    const scope: CursorScope = { ownerId: user.id };
    const after = options.cursor === undefined ? undefined : this.cursors.decode(options.cursor, scope);
    const page = await this.batches.listByOwner(user.id, { limit: options.limit ?? DEFAULT_PAGE_SIZE, after });
    const last = page.batches.at(-1);
    return page.hasMore && last
      ? { batches: page.batches, nextCursor: this.cursors.encode(scope, last.batchId) }
      : { batches: page.batches };
  }

  /** Every job resolved against the catalog; all the batch's bad fields in one 400, named by their place. */
  private prepareAll(user: AuthUser, body: CreateBatchDto, batchId: string, createdAt: string): PreparedJob[] {
    const nextJobId = monotonicFactory();
    const issues = new Map<string, ModelParamsIssue>();
    const prepared: PreparedJob[] = [];
    for (const { request, fieldName } of batchJobRequests(body)) {
      try {
        prepared.push(this.submissions.prepare(user, request, { jobId: nextJobId(), createdAt, batchId }));
      } catch (error) {
        if (!(error instanceof ModelParamsError)) {
          throw error;
        }
        // a bad shared field is the same issue for every job: named once
        for (const issue of error.errors) {
          const named = { field: fieldName(issue.field), message: issue.message };
          issues.set(`${named.field}\n${named.message}`, named);
        }
      }
    }
    if (issues.size > 0) {
      throw new ModelParamsError([...issues.values()]);
    }
    return prepared;
  }

  /**
   * Writes every request object and job row, then the batch. On any failure nothing more is written and nothing is
   * invoked: see the class comment. The failure then goes on (a 503 for an unavailable dependency).
   */
  private async writeAll(
    batch: BatchRecord,
    prepared: readonly PreparedJob[],
    admission: BatchAdmission,
    reservation: BatchBudgetReservation,
  ): Promise<void> {
    const limit = pLimit(STORAGE_CONCURRENCY);
    const written: Job[] = [];
    let failure: { cause: unknown } | undefined;
    await Promise.all(
      prepared.map((job) =>
        limit(async () => {
          if (failure) {
            return;
          }
          try {
            await this.submissions.store(job);
            written.push(job.job);
          } catch (error) {
            failure ??= { cause: error };
          }
        }),
      ),
    );
    if (!failure) {
      try {
        await this.batches.create(batch);
        return;
      } catch (error) {
        failure = { cause: error };
      }
    }
    const writtenIds = new Set(written.map((job) => job.jobId));
    const unwritten = batch.jobIds.filter((jobId) => !writtenIds.has(jobId));
    this.logger.error(
      { err: failure.cause, jobs: batch.jobIds.length, written: written.length },
      'the batch could not be written in full; none of it is started',
    );
    if (unwritten.length > 0) {
      await reservation.release(unwritten);
      await admission.giveBack(unwritten);
    }
    // final at no cost: their listeners give back their slots in flight and settle their holds
    await Promise.all(
      written.map((job) => limit(() => this.submissions.failUnstarted(job, JobErrorCode.BatchIncomplete))),
    );
    throw failure.cause;
  }

  /** At most BATCH_INVOKE_CONCURRENCY of this batch's invocations at once; each settles on its own. */
  private async invokeAll(prepared: readonly PreparedJob[]): Promise<InvocationOutcome[]> {
    const limit = pLimit(this.config.batches.invokeConcurrency);
    return Promise.all(prepared.map((job) => limit(() => this.submissions.invoke(job))));
  }
}
