import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ulid } from 'ulid';
import {
  type AsyncInvocationAccepted,
  InferenceClient,
  InferenceError,
  JobRepository,
  ObjectStore,
  toS3Uri,
} from '#libs/aws';
import { type Job, JobErrorCode, type JobRequest, JobStatus, requestKey } from '#libs/contracts';
import { codecFor, ModelCatalog } from '#libs/models';
import type { AuthUser } from '../auth/auth-user.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { ProblemException } from '../problem/problem.js';
import { DEFAULT_PAGE_SIZE } from './dto/list-jobs.query.js';
import { type CursorScope, JobCursorCodec } from './job-cursor.js';

export interface JobListPage {
  jobs: Job[];
  /** Present when more jobs follow; bound to the caller and the status filter. */
  nextCursor?: string;
}

/** Submits jobs and reads the caller's own jobs. */
@Injectable()
export class JobsService {
  private readonly cursors: JobCursorCodec;

  constructor(
    private readonly jobs: JobRepository,
    private readonly objects: ObjectStore,
    private readonly inference: InferenceClient,
    private readonly catalog: ModelCatalog,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.logger.setContext(JobsService.name);
    this.cursors = new JobCursorCodec(config.jobs.cursorSecret);
  }

  /**
   * Order of writes: request object, then the job row (QUEUED), then the invocation. A failure before the
   * row exists leaves no job; a failed invocation marks the job FAILED. Either way the caller gets 503.
   */
  async create(user: AuthUser, request: JobRequest): Promise<Job> {
    const params = this.catalog.resolve(request);
    const model = this.catalog.get(params.modelId);
    const payload = codecFor(model.codec).encodeRequest(params);
    const jobId = ulid();
    const now = new Date().toISOString();
    this.logger.assign({ jobId });
    const requestLocation = { bucket: this.config.resources.requestsBucket, key: requestKey(jobId) };
    await this.objects.put(requestLocation, payload.body, payload.contentType);
    const job: Job = {
      jobId,
      ownerId: user.id,
      status: JobStatus.Queued,
      params,
      createdAt: now,
      updatedAt: now,
      endpointName: model.endpointName,
      inferenceId: jobId,
      requestLocation: toS3Uri(requestLocation),
      images: [],
      timings: { submittedAt: now },
    };
    await this.jobs.create(job);
    let accepted;
    try {
      accepted = await this.inference.invokeAsync({
        endpointName: model.endpointName,
        inferenceId: jobId,
        inputLocation: job.requestLocation,
        contentType: payload.contentType,
        accept: payload.accept,
      });
    } catch (error) {
      await this.failSubmission(job, error);
      throw ProblemException.dependencyUnavailable(
        'The image model could not accept the job right now; it was not started. Try again shortly.',
        { jobId },
      );
    }
    this.logger.info({ endpointName: model.endpointName, modelId: model.id }, 'job submitted');
    return this.recordInvocation(job, accepted);
  }

  /** Best effort: the job runs either way, and the worker finalizes it from the notification alone. */
  private async recordInvocation(job: Job, accepted: AsyncInvocationAccepted): Promise<Job> {
    const invokedAt = new Date().toISOString();
    try {
      // the worker may already have finalized the job; then this write is skipped by its condition
      const invoked = await this.jobs.transition({
        jobId: job.jobId,
        ownerId: job.ownerId,
        from: [JobStatus.Queued],
        to: JobStatus.Queued,
        set: {
          updatedAt: invokedAt,
          outputLocation: accepted.outputLocation,
          ...(accepted.failureLocation ? { failureLocation: accepted.failureLocation } : {}),
          timings: { ...job.timings, invokedAt },
        },
      });
      return invoked ?? job;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not record the invocation; the job still runs');
      return job;
    }
  }

  private async failSubmission(job: Job, error: unknown): Promise<void> {
    const code = error instanceof InferenceError ? error.code : JobErrorCode.InferenceUnavailable;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error({ err: error, code }, 'invocation failed; marking the job FAILED');
    const failedAt = new Date().toISOString();
    try {
      await this.jobs.transition({
        jobId: job.jobId,
        ownerId: job.ownerId,
        from: [JobStatus.Queued],
        to: JobStatus.Failed,
        set: {
          updatedAt: failedAt,
          error: { code, message: 'The image model was unavailable when the job was submitted.' },
          timings: { ...job.timings, finalizedAt: failedAt },
        },
      });
    } catch (markError) {
      this.logger.error({ err: markError, cause: message }, 'could not mark the job FAILED');
    }
  }

  /** The caller's job; someone else's job is indistinguishable from a missing one. */
  async get(user: AuthUser, jobId: string): Promise<Job> {
    this.logger.assign({ jobId });
    const job = await this.jobs.get(jobId);
    if (!job || job.ownerId !== user.id) {
      throw ProblemException.notFound(`No job ${jobId}`);
    }
    return job;
  }

  /** A page of the caller's jobs, newest first; a cursor continues only the listing (user, status) it came from. */
  async list(user: AuthUser, options: { limit?: number; cursor?: string; status?: JobStatus }): Promise<JobListPage> {
    const scope: CursorScope = { ownerId: user.id, status: options.status };
    const after = options.cursor === undefined ? undefined : this.cursors.decode(options.cursor, scope);
    const page = await this.jobs.listByOwner(user.id, {
      limit: options.limit ?? DEFAULT_PAGE_SIZE,
      status: options.status,
      after,
    });
    const last = page.jobs.at(-1);
    return page.hasMore && last
      ? { jobs: page.jobs, nextCursor: this.cursors.encode(scope, last.jobId) }
      : { jobs: page.jobs };
  }
}
