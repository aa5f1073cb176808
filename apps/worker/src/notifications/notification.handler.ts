import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  DeletedJobs,
  DependencyUnavailableError,
  JobRepository,
  ObjectNotFoundError,
  ObjectStore,
  type QueueMessage,
  tryParseS3Uri,
} from '#libs/aws';
import {
  failureLocationOf,
  isFinalStatus,
  type Job,
  JobErrorCode,
  JobStatus,
  MalformedNotificationError,
  parseSageMakerNotification,
  type SageMakerNotification,
} from '#libs/contracts';
import { type FinalizeOutcome, type InferenceTimes, JobFinalizer } from '#libs/jobs';
import { CanceledResults } from '../cancellation/canceled-results.js';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker.config.js';
import { deadlineFailureOf } from './deadline-failure.js';
import { isLastReceive } from './retry-policy.js';

/**
 * What to do with the message:
 * - delete: the job is final (made so now, or it already was);
 * - retry: a dependency failed, or the output is not there yet: hide the message for a backoff and try again;
 * - dead-letter: no retry can ever help and there is no job to fail: let it reach the DLQ.
 */
export type HandleResult =
  | { action: 'delete'; outcome: FinalizeOutcome }
  | { action: 'retry'; reason: string }
  | { action: 'dead-letter'; reason: string };

const MAX_REASON_LENGTH = 1000;
/** Final states whose job no longer wants a result: one that still arrives is thrown away, its objects deleted. */
const GIVEN_UP: readonly JobStatus[] = [JobStatus.Canceled, JobStatus.TimedOut];

/** An SDK call that gave up on its own bound (requestTimeout, abort) is as transient as an unreachable host. */
export function isTransientError(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) {
    return true;
  }
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/**
 * Handles one SageMaker success/error notification: finalizes its job exactly once. Permanent problems with a job
 * (unreadable output, an output URI that is not one, a model gone from the catalog, a corrupt image) finalize it
 * FAILED with a catalogue code, so a job never waits in QUEUED for a message sitting in the DLQ.
 */
@Injectable()
export class NotificationHandler {
  constructor(
    private readonly jobs: JobRepository,
    private readonly objects: ObjectStore,
    private readonly finalizer: JobFinalizer,
    private readonly logger: PinoLogger,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly canceled: CanceledResults,
    private readonly deleted: DeletedJobs,
  ) {
    this.logger.setContext(NotificationHandler.name);
  }

  /** Never throws: every error is classified into a result. */
  async handle(message: QueueMessage): Promise<HandleResult> {
    try {
      return await this.process(message);
    } catch (error) {
      const context = { err: error, messageId: message.messageId, receiveCount: message.receiveCount };
      if (isTransientError(error)) {
        this.logger.warn(context, 'dependency unavailable; will retry');
        return { action: 'retry', reason: (error as Error).message };
      }
      // Not classified: most likely a fault in our own code or an unexpected answer. Retrying keeps the job
      // recoverable once it is fixed; after the retry budget the message waits in the DLQ for a redrive.
      this.logger.error(context, 'unexpected error handling a notification; will retry');
      return { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private async process(message: QueueMessage): Promise<HandleResult> {
    let notification: SageMakerNotification;
    try {
      notification = parseSageMakerNotification(message.body);
    } catch (error) {
      if (error instanceof MalformedNotificationError) {
        // retrying cannot fix the shape of a message, and without a job id there is no job to fail
        this.logger.warn(
          { messageId: message.messageId, receiveCount: message.receiveCount, reason: error.message },
          'malformed notification',
        );
        return { action: 'dead-letter', reason: `malformed notification: ${error.message}` };
      }
      throw error;
    }
    const jobId = notification.inferenceId;
    const job = await this.jobs.get(jobId);
    if (!job) {
      if (await this.deleted.isDeleted(jobId)) {
        // a late result of a job its owner deleted: nothing to record, nothing to retry
        await this.canceled.discard(notification);
        this.logger.info({ jobId, messageId: message.messageId }, 'notification for a deleted job; dropped');
        return { action: 'delete', outcome: 'discarded' };
      }
      // The api writes the job row before it invokes SageMaker, so no notification can outrun its job: an unknown
      // id is another system's inference or a deleted job. Keep the message in the DLQ for inspection.
      this.logger.warn({ jobId, messageId: message.messageId }, 'notification for an unknown job');
      return { action: 'dead-letter', reason: `no job ${jobId}` };
    }
    if (GIVEN_UP.includes(job.status)) {
      // a result for a job canceled or timed out before it came: nobody will read it
      await this.canceled.discard(notification, job);
      await this.finalizer.reportAlreadyFinal(job);
      return { action: 'delete', outcome: 'discarded' };
    }
    if (isFinalStatus(job.status)) {
      this.logger.info(
        { jobId, status: job.status, messageId: message.messageId },
        'duplicate notification; job already final',
      );
      await this.finalizer.reportAlreadyFinal(job);
      return { action: 'delete', outcome: 'already-final' };
    }
    const times: InferenceTimes = {
      ...(notification.receivedTime ? { receivedAt: notification.receivedTime } : {}),
      ...(notification.eventTime ? { completedAt: notification.eventTime } : {}),
    };
    if (notification.invocationStatus === 'Completed') {
      return this.succeed(job, notification, message, times);
    }
    const timedOut = deadlineFailureOf(notification.failureReason);
    if (timedOut) {
      return { action: 'delete', outcome: await this.finalizer.timeOut(job, timedOut, times) };
    }
    if (this.canceled.isCancellation(notification)) {
      const canceled = await this.canceled.complete(job, notification);
      await this.canceled.discard(notification, job);
      if (!canceled) {
        await this.finalizer.reportAlreadyFinal((await this.jobs.get(jobId)) ?? job);
      }
      return { action: 'delete', outcome: canceled ? 'canceled' : 'already-final' };
    }
    const outcome = await this.finalizer.fail(
      job,
      { code: JobErrorCode.ModelError, message: await this.failureReason(job, notification) },
      times,
    );
    return { action: 'delete', outcome: await this.discardIfCanceled(job, notification, outcome) };
  }

  /** A result that lost the race with a cancel (or a delete): its objects, images included, go. */
  private async discardIfCanceled(
    job: Job,
    notification: SageMakerNotification,
    outcome: FinalizeOutcome,
  ): Promise<FinalizeOutcome> {
    if (outcome !== 'already-final') {
      return outcome;
    }
    const current = await this.jobs.get(job.jobId);
    if (current && current.status !== JobStatus.Canceled) {
      return outcome;
    }
    await this.canceled.discard(notification, job);
    return 'discarded';
  }

  private async succeed(
    job: Job,
    notification: SageMakerNotification,
    message: QueueMessage,
    times: InferenceTimes,
  ): Promise<HandleResult> {
    // real SageMaker names the output object; take it from the notification, never build it
    const outputLocation = notification.responseParameters?.outputLocation ?? job.outputLocation;
    const location = outputLocation ? tryParseS3Uri(outputLocation) : undefined;
    if (!location) {
      return this.outputUnreadable(
        job,
        times,
        `SageMaker named no readable output location (${outputLocation ?? 'none'})`,
      );
    }
    let output;
    try {
      output = await this.objects.get(location);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) {
        throw error;
      }
      if (isLastReceive(this.config.consumer.retry, message.receiveCount)) {
        return this.outputUnreadable(
          job,
          times,
          `the output ${outputLocation} was not found after ${message.receiveCount} attempts`,
        );
      }
      // S3 is read-after-write consistent, but the notification can still outrun a slow upload: try later
      this.logger.warn(
        { jobId: job.jobId, outputLocation, receiveCount: message.receiveCount },
        'output not found yet',
      );
      return { action: 'retry', reason: `output ${outputLocation} not found yet` };
    }
    const outcome = await this.finalizer.succeed(job, output, times);
    return { action: 'delete', outcome: await this.discardIfCanceled(job, notification, outcome) };
  }

  private async outputUnreadable(job: Job, times: InferenceTimes, reason: string): Promise<HandleResult> {
    const message = `The model reported success, but ${reason}`;
    const outcome = await this.finalizer.fail(job, { code: JobErrorCode.OutputUnreadable, message }, times);
    return { action: 'delete', outcome };
  }

  /** The failure file's text when there is one, else SageMaker's failureReason. */
  private async failureReason(job: Job, notification: SageMakerNotification): Promise<string> {
    const fallback = notification.failureReason ?? 'The model failed without giving a reason';
    const uri = failureLocationOf(notification) ?? job.failureLocation;
    const location = uri ? tryParseS3Uri(uri) : undefined;
    if (!location) {
      return fallback;
    }
    try {
      const failure = await this.objects.get(location);
      const reason = readableReason(failure.body.toString('utf8').trim());
      return reason ? reason.slice(0, MAX_REASON_LENGTH) : fallback;
    } catch (error) {
      // the job fails either way; SageMaker's own reason is good enough when the file cannot be read
      this.logger.warn(
        { jobId: job.jobId, location: uri, err: error },
        'failure file not readable; using failureReason',
      );
      return fallback;
    }
  }
}

/** Failure files hold whatever the container answered: often JSON with a message, sometimes plain text. */
export function readableReason(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text; // not JSON: the text is the reason
  }
  const body = parsed as {
    message?: unknown;
    Message?: unknown;
    OriginalMessage?: unknown;
    error?: { message?: unknown } | null;
  } | null;
  const message = body?.message ?? body?.Message ?? body?.OriginalMessage ?? body?.error?.message;
  return typeof message === 'string' && message.trim() ? message.trim() : text;
}
