import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import pLimit, { type LimitFunction } from 'p-limit';
import {
  classifyInvocationFailure,
  DependencyUnavailableError,
  InferenceClient,
  InferenceError,
  type InvocationUnconfirmedError,
} from '#libs/aws';
import { JOB_ERROR_CATALOGUE, type Job, type JobError, JobErrorCode } from '#libs/contracts';
import { type InferenceTimes, JobFinalizer, readableReason } from '#libs/jobs';
import { type InferencePayload, NO_COST } from '#libs/models';
import { traceCustomAttributes } from '#libs/observability';
import { API_CONFIG, type ApiConfig } from '../../config/api.config.js';
import type { RealtimeConfig } from './realtime.config.js';

/** A stored (QUEUED) job of a real-time model and the payload its endpoint takes. */
export interface RealtimeJob {
  job: Job;
  payload: InferencePayload;
}

/** Finalizing after the answer: DynamoDB or S3 briefly unreachable is tried again, this often, backing off. */
const FINALIZE_ATTEMPTS = 3;
const FINALIZE_BASE_DELAY_MS = 500;
const MAX_REASON_LENGTH = 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Real-time mode: the api itself calls InvokeEndpoint for a stored job, in the background after its 202, and
 * finalizes the job from the answer with the worker's JobFinalizer (images stored the same way, the same final-state
 * listeners: slot in flight, usage settlement, webhooks). No notification is involved.
 *
 * Why after the 202 and not before: the answer to POST /v1/jobs stays the same in both modes (a job to poll), a
 * throttled or failing model becomes a FAILED job instead of a 5xx, the request never outlives the load balancer's
 * idle timeout (a real-time call may take 60 s), and `Prefer: wait` gives the synchronous answer to clients that
 * want it. The price: a job whose api instance dies mid-call stays QUEUED until its deadline, when the worker's
 * reaper makes it TIMED_OUT; a shutting-down instance first lets its calls finish (for a bounded time).
 */
@Injectable()
export class RealtimeInvocations implements BeforeApplicationShutdown {
  private readonly config: RealtimeConfig;
  private readonly limit: LimitFunction;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly inference: InferenceClient,
    private readonly finalizer: JobFinalizer,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'realtime'>,
  ) {
    this.logger.setContext(RealtimeInvocations.name);
    this.config = config.realtime;
    this.limit = pLimit(this.config.maxConcurrent);
  }

  /** Starts the invocation and returns at once; the job is finalized when the endpoint answers. */
  start(realtime: RealtimeJob): void {
    const run = this.limit(() => this.run(realtime)).catch((error: unknown) => {
      this.logger.error({ err: error, jobId: realtime.job.jobId }, 'real-time invocation failed unexpectedly');
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Invocations started and not yet finalized (tests). */
  get pending(): number {
    return this.running.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.running.size === 0) {
      return;
    }
    this.logger.info({ pending: this.running.size }, 'waiting for the real-time invocations in progress');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => (timer = setTimeout(resolve, this.config.shutdownGraceMs))),
    ]);
    clearTimeout(timer);
  }

  private async run({ job: stored, payload }: RealtimeJob): Promise<void> {
    const invokedAt = new Date().toISOString();
    const job: Job = { ...stored, timings: { ...stored.timings, invokedAt } };
    const context = { jobId: job.jobId, endpointName: job.endpointName, modelId: job.params.modelId };
    const untilDeadline = job.deadlineAt ? Date.parse(job.deadlineAt) - Date.now() : Number.POSITIVE_INFINITY;
    const timeoutMs = Math.max(1, Math.min(this.config.invokeTimeoutMs, untilDeadline));
    let answer;
    try {
      answer = await this.inference.invoke({
        endpointName: job.endpointName,
        inferenceId: job.jobId,
        body: payload.body,
        contentType: payload.contentType,
        accept: payload.accept,
        timeoutMs,
        customAttributes: traceCustomAttributes(job.trace),
      });
    } catch (error) {
      const times: InferenceTimes = { receivedAt: invokedAt, completedAt: new Date().toISOString() };
      const failure = classifyInvocationFailure(job.endpointName, error);
      this.logger.warn({ ...context, err: failure }, 'real-time invocation failed');
      await this.finalize(job, () =>
        failure instanceof InferenceError
          ? this.refused(job, failure, times)
          : this.unanswered(job, failure, times, timeoutMs),
      );
      return;
    }
    const times: InferenceTimes = { receivedAt: invokedAt, completedAt: new Date().toISOString() };
    this.logger.info(context, 'real-time invocation answered');
    await this.finalize(job, () => this.finalizer.succeed(job, answer, times));
  }

  /**
   * SageMaker said no, or the model failed. A model error used the GPU until it failed and is charged that time;
   * a refusal (throttled, not ready, rejected, no such endpoint) never reached a GPU and costs nothing.
   */
  private async refused(job: Job, failure: InferenceError, times: InferenceTimes): Promise<unknown> {
    const cause = failure.cause as { name?: string; message?: string; OriginalMessage?: string } | undefined;
    if (failure.code === JobErrorCode.ModelError) {
      const reason = readableReason(cause?.OriginalMessage?.trim() || cause?.message || failure.message);
      return this.finalizer.fail(job, { code: JobErrorCode.ModelError, message: truncate(reason) }, times);
    }
    const said = cause?.name ? `${cause.name}: ${cause.message ?? ''}` : failure.message;
    const error: JobError = {
      code: failure.code,
      message: truncate(`${JOB_ERROR_CATALOGUE[failure.code].meaning} SageMaker answered ${said}`),
    };
    return this.finalizer.fail(job, error, {}, NO_COST);
  }

  /**
   * No definite answer: whatever the model rendered is lost with the connection, and nothing will report it later
   * (there is no notification in real time), so the job ends now. Past its time it is TIMED_OUT and charged the time
   * it held the endpoint; otherwise it FAILED without a charge.
   */
  private async unanswered(
    job: Job,
    failure: InvocationUnconfirmedError,
    times: InferenceTimes,
    timeoutMs: number,
  ): Promise<unknown> {
    if (failure.reason === 'timeout') {
      const message = `The real-time endpoint gave no answer within ${Math.ceil(timeoutMs / 1000)} s.`;
      return this.finalizer.timeOut(job, { code: JobErrorCode.InferenceTimeout, message }, times);
    }
    if (failure.reason === 'unexpected-answer') {
      const message = `The real-time endpoint answered, but its answer could not be read: ${failure.message}`;
      return this.finalizer.fail(job, { code: JobErrorCode.OutputUnreadable, message: truncate(message) }, times);
    }
    const message =
      `SageMaker gave no definite answer (${failure.reason}): ${failure.message}. ` +
      'Anything rendered was lost; submit the job again.';
    return this.finalizer.fail(
      job,
      { code: JobErrorCode.InferenceUnavailable, message: truncate(message) },
      {},
      NO_COST,
    );
  }

  /** Finalizes, trying again while DynamoDB or S3 is briefly away; past that the reaper times the job out. */
  private async finalize(job: Job, work: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await work();
        return;
      } catch (error) {
        if (attempt >= FINALIZE_ATTEMPTS || !(error instanceof DependencyUnavailableError)) {
          this.logger.error(
            { err: error, jobId: job.jobId, attempt },
            'could not finalize the real-time job; it is timed out at its deadline',
          );
          return;
        }
        await sleep(FINALIZE_BASE_DELAY_MS * 2 ** (attempt - 1));
      }
    }
  }
}

function truncate(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}
