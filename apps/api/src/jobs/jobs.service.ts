import { Inject, Injectable, Optional } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ulid } from 'ulid';
import {
  type AsyncInvocationAccepted,
  classifyInvocationFailure,
  InferenceClient,
  type InferenceError,
  invocationTimeouts,
  type InvocationRecord,
  InvocationUnconfirmedError,
  JobRepository,
  ObjectStore,
  toS3Uri,
  withInvocation,
} from '#libs/aws';
import {
  JOB_ERROR_CATALOGUE,
  type Job,
  type JobErrorCode,
  type JobRequest,
  JobStatus,
  JobSubmission,
  requestKey,
} from '#libs/contracts';
import { JOB_FINAL_LISTENERS, type JobFinalListener, reportFinal } from '#libs/jobs';
import { activeTraceContext, JobMetrics, traceCustomAttributes } from '#libs/observability';
import {
  codecFor,
  type InferencePayload,
  ModelCatalog,
  ModelParamsError,
  type ModelParamsIssue,
  NO_COST,
} from '#libs/models';
import type { AuthUser } from '../auth/auth-user.js';
import { isAdmin } from '../auth/roles.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { JobAdmission } from '../limits/job-admission.js';
import { jobLifetime } from './lifetime/job-lifetime.js';
import { JobProgressService } from '../progress/job-progress.service.js';
import { ProblemException } from '../problem/problem.js';
import { BudgetService } from '../usage/budget.service.js';
import { WebhookSubmissions } from '../webhooks/webhook-submissions.js';
import { RealtimeInvocations } from './realtime/realtime-invocations.js';
import { DEFAULT_PAGE_SIZE } from './dto/list-jobs.query.js';
import { type CursorScope, JobCursorCodec } from './job-cursor.js';

/** A job ready to be written: its row, its SageMaker payload and where the payload goes. */
export interface PreparedJob {
  job: Job;
  payload: InferencePayload;
  modelId: string;
  requestLocation: { bucket: string; key: string };
}

/** What the invocation made of a stored job; `refused`: SageMaker refused it and the job is FAILED with this code. */
export interface InvocationOutcome {
  job: Job;
  refused?: JobErrorCode;
}

export interface JobListPage {
  jobs: Job[];
  /** Present when more jobs follow; bound to the caller and the status filter. */
  nextCursor?: string;
}

/** Submits jobs and reads the caller's own jobs (an administrator's: anyone's). */
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
    @Inject(JOB_FINAL_LISTENERS) private readonly finalListeners: readonly JobFinalListener[],
    private readonly admission: JobAdmission,
    private readonly budget: BudgetService,
    private readonly progress: JobProgressService,
    @Optional() private readonly webhooks?: WebhookSubmissions,
    @Optional() private readonly metrics?: JobMetrics,
    @Optional() private readonly realtime?: RealtimeInvocations,
  ) {
    this.logger.setContext(JobsService.name);
    this.cursors = new JobCursorCodec(config.jobs.cursorSecret);
  }

  /**
   * Validation first (a 400 costs no quota), then the caller's quotas (a job of the day, a slot in flight: 429 when
   * over). Order of writes: request object, then the job row (QUEUED), then the invocation. A failure before the row
   * exists leaves no job and gives the quota back. Then what SageMaker answered decides:
   * - accepted: the job stays QUEUED, `submission: confirmed`;
   * - no definite answer (timeout, connection lost after sending, 5xx): SageMaker may have queued it, so the job
   *   stays QUEUED, `submission: unconfirmed`, for its notification or its deadline; the client must poll, not
   *   resubmit (that could render it twice);
   * - a definite refusal: the job is FAILED with the refusal's code and the caller gets 503 (try again) or, for a
   *   misconfigured model, 500.
   */
  async create(user: AuthUser, request: JobRequest): Promise<Job> {
    const prepared = this.prepare(user, request, { jobId: ulid(), createdAt: new Date().toISOString() });
    const { jobId, createdAt, params } = prepared.job;
    this.logger.assign({ jobId });
    if (await this.progress.coldAtSubmit(prepared.job.endpointName)) {
      // it will wait a whole cold start: the worker learns the model's cold start from it
      prepared.job.coldStartAtSubmit = true;
    }
    // 429 when a quota or a budget has no room; each is given back if the job then cannot be written, and
    // settled by the job's final state once it exists
    const admission = await this.admission.admit(user, jobId);
    const reservation = await admission.releaseOnFailure(() => this.budget.reserve(user, { jobId, params, createdAt }));
    if (reservation.platformShard !== undefined) {
      prepared.job.usageShard = reservation.platformShard;
    }
    await admission.releaseOnFailure(() => reservation.releaseOnFailure(() => this.store(prepared)));
    const outcome = await this.invoke(prepared);
    if (outcome.refused) {
      throw submissionRefused(prepared.modelId, jobId, outcome.refused);
    }
    return outcome.job;
  }

  /** The job a request becomes, QUEUED, with its SageMaker payload; nothing is written (a 400/422 costs nothing). */
  prepare(
    user: AuthUser,
    request: JobRequest,
    ids: { jobId: string; createdAt: string; batchId?: string },
  ): PreparedJob {
    const { params, lifetime } = this.resolve(request, ids.createdAt);
    const model = this.catalog.get(params.modelId);
    const payload = codecFor(model.codec).encodeRequest(params, { inferenceId: ids.jobId });
    const { jobId, createdAt: now, batchId } = ids;
    const requestLocation = { bucket: this.config.resources.requestsBucket, key: requestKey(jobId) };
    const trace = activeTraceContext();
    const job: Job = {
      jobId,
      ownerId: user.id,
      ...(user.apiKey ? { apiKeyId: user.apiKey.id } : {}),
      status: JobStatus.Queued,
      params,
      createdAt: now,
      updatedAt: now,
      endpointName: model.endpointName,
      inferenceId: jobId,
      requestLocation: toS3Uri(requestLocation),
      images: [],
      timings: { submittedAt: now },
      ...(batchId ? { batchId } : {}),
      ...(trace ? { trace } : {}),
      ...lifetime,
    };
    return { job, payload, modelId: model.id, requestLocation };
  }

  /** The request's parameters and the job's deadline and retention; every bad field, webhook ones too, in one 400. */
  private resolve(request: JobRequest, createdAt: string) {
    const problems: ModelParamsIssue[] = [];
    const attempt = <T>(work: () => T): T | undefined => {
      try {
        return work();
      } catch (error) {
        if (!(error instanceof ModelParamsError)) {
          throw error;
        }
        problems.push(...error.errors);
        return undefined;
      }
    };
    const params = attempt(() => this.catalog.resolve(request));
    const lifetime = attempt(() => jobLifetime(this.config.lifetime, createdAt, request.timeoutSeconds));
    problems.push(...(this.webhooks?.issues(request) ?? []));
    if (!params || !lifetime || problems.length > 0) {
      throw new ModelParamsError(problems);
    }
    return { params, lifetime };
  }

  /** Writes the request object, then the job row (QUEUED), then publishes its `queued` webhook event if asked. */
  async store(prepared: PreparedJob): Promise<void> {
    await this.objects.put(prepared.requestLocation, prepared.payload.body, prepared.payload.contentType);
    await this.jobs.create(prepared.job);
    this.metrics?.submitted(prepared.job);
    await this.webhooks?.accepted(prepared.job);
  }

  /**
   * Invokes the endpoint for a stored job; what SageMaker answered decides:
   * - accepted: the job stays QUEUED, `submission: confirmed`;
   * - no definite answer (timeout, connection lost after sending, 5xx): SageMaker may have queued it, so the job
   *   stays QUEUED, `submission: unconfirmed`, for its notification or its deadline; the client must poll, not
   *   resubmit (that could render it twice);
   * - a definite refusal: the job is FAILED with the refusal's code (`refused`).
   * A real-time model's job is handed to RealtimeInvocations instead: it stays QUEUED until the endpoint answers.
   */
  async invoke(prepared: PreparedJob): Promise<InvocationOutcome> {
    const { job, payload } = prepared;
    if (this.realtime && this.catalog.get(prepared.modelId).mode === 'realtime') {
      // the api holds the invocation itself (in the background) and finalizes the job from the answer
      this.realtime.start(prepared);
      return { job: { ...job, submission: JobSubmission.Confirmed } };
    }
    const context = { endpointName: job.endpointName, modelId: prepared.modelId, jobId: job.jobId };
    let accepted: AsyncInvocationAccepted;
    try {
      accepted = await this.inference.invokeAsync({
        endpointName: job.endpointName,
        inferenceId: job.jobId,
        inputLocation: job.requestLocation,
        contentType: payload.contentType,
        accept: payload.accept,
        ...(job.deadlineAt ? invocationTimeouts(job.deadlineAt, Date.now()) : {}),
        customAttributes: traceCustomAttributes(job.trace),
      });
    } catch (error) {
      const failure = classifyInvocationFailure(job.endpointName, error);
      if (failure instanceof InvocationUnconfirmedError) {
        this.logger.warn(
          { ...context, err: failure, reason: failure.reason },
          'SageMaker did not confirm the invocation; the job stays QUEUED for its notification or its deadline',
        );
        return {
          job: await this.recordInvocation(job, {
            submission: JobSubmission.Unconfirmed,
            at: new Date().toISOString(),
          }),
        };
      }
      return { job: await this.failSubmission(job, failure), refused: failure.code };
    }
    this.logger.info(context, 'job submitted');
    const invoked = {
      job: await this.recordInvocation(job, {
        submission: JobSubmission.Confirmed,
        at: new Date().toISOString(),
        outputLocation: accepted.outputLocation,
        ...(accepted.failureLocation ? { failureLocation: accepted.failureLocation } : {}),
      }),
    };
    this.metrics?.invoked(invoked.job);
    return invoked;
  }

  /**
   * Best effort: the job runs (or not) either way, and the worker finalizes it from the notification alone. The
   * answer tells the caller what SageMaker said even when it could not be written down.
   */
  private async recordInvocation(job: Job, record: InvocationRecord): Promise<Job> {
    const answered = withInvocation(job, record);
    try {
      // undefined when the worker has already finalized the job: then the write is skipped by its condition
      return (await this.jobs.recordInvocation(job, record)) ?? answered;
    } catch (error) {
      this.logger.error({ err: error, submission: record.submission }, 'could not record the invocation');
      return answered;
    }
  }

  private async failSubmission(job: Job, failure: InferenceError): Promise<Job> {
    const { code } = failure;
    if (JOB_ERROR_CATALOGUE[code].retryable) {
      this.logger.warn({ err: failure, code }, 'SageMaker refused the invocation; marking the job FAILED');
    } else {
      // not transient: someone has to fix the model's configuration
      this.logger.error({ err: failure, code }, 'SageMaker refused the invocation: the model is misconfigured');
    }
    return this.failUnstarted(job, code, failure.message);
  }

  /**
   * Marks a stored job that never reached a GPU FAILED with `code` (at no cost) and reports it final, which gives
   * back its slot in flight and settles its budget hold. Best effort: returns the job as it stands.
   */
  async failUnstarted(job: Job, code: JobErrorCode, cause?: string): Promise<Job> {
    const failedAt = new Date().toISOString();
    try {
      const failed = await this.jobs.transition({
        job,
        from: [JobStatus.Queued],
        to: JobStatus.Failed,
        set: {
          updatedAt: failedAt,
          error: { code, message: JOB_ERROR_CATALOGUE[code].meaning },
          timings: { ...job.timings, finalizedAt: failedAt },
          // it never reached a GPU
          cost: NO_COST,
        },
      });
      if (failed) {
        await reportFinal(this.finalListeners, failed);
        return failed;
      }
    } catch (markError) {
      this.logger.error({ err: markError, jobId: job.jobId, cause }, 'could not mark the job FAILED');
    }
    return job;
  }

  /** The caller's job, or anyone's for an administrator; for others, someone else's job is a missing one. */
  async get(user: AuthUser, jobId: string): Promise<Job> {
    this.logger.assign({ jobId });
    const job = await this.jobs.get(jobId);
    if (!job || (job.ownerId !== user.id && !isAdmin(user))) {
      throw ProblemException.notFound(`No job ${jobId}`);
    }
    return job;
  }

  /**
   * A page of the caller's jobs (or, for an administrator, `owner`'s), newest first; a cursor continues only the
   * listing (owner, status) it came from.
   */
  async list(
    user: AuthUser,
    options: { limit?: number; cursor?: string; status?: JobStatus; owner?: string },
  ): Promise<JobListPage> {
    if (options.owner !== undefined && !isAdmin(user)) {
      throw ProblemException.forbidden('Only administrators may list other users’ jobs', [
        { field: 'owner', message: 'owner is for administrators only; leave it out to list your own jobs' },
      ]);
    }
    const ownerId = options.owner ?? user.id;
    const scope: CursorScope = { ownerId, status: options.status };
    const after = options.cursor === undefined ? undefined : this.cursors.decode(options.cursor, scope);
    const page = await this.jobs.listByOwner(ownerId, {
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

/** The answer to a refused submission: 503 with Retry-After when trying again can help, 500 when it cannot. */
function submissionRefused(modelId: string, jobId: string, code: JobErrorCode): ProblemException {
  const { meaning, retryable } = JOB_ERROR_CATALOGUE[code];
  if (retryable) {
    return ProblemException.dependencyUnavailable(
      `The image model could not take the job right now; it was not started (job FAILED, ${code}). Try again shortly.`,
      { jobId },
    );
  }
  return ProblemException.modelMisconfigured(
    `The model ${modelId} is misconfigured on the platform: ${meaning} The job was not started (job FAILED, ${code}); ` +
      'trying again will not help until an operator fixes the model, but another model may work.',
    { jobId },
  );
}
