import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { JobRepository, ObjectNotFoundError, ObjectStore, parseS3Uri, type QueueMessage } from '#libs/aws';
import {
  failureLocationOf,
  isFinalStatus,
  type Job,
  JobErrorCode,
  MalformedNotificationError,
  parseSageMakerNotification,
  type SageMakerNotification,
} from '#libs/contracts';
import { type InferenceTimes, JobFinalizer } from '#libs/jobs';

/** done: delete the message; retry: try again later; poison: cannot ever succeed, let it reach the DLQ. */
export type HandleResult = 'done' | 'retry' | 'poison';

const MAX_REASON_LENGTH = 1000;

/** Handles one SageMaker success/error notification: finalizes its job exactly once. */
@Injectable()
export class NotificationHandler {
  constructor(
    private readonly jobs: JobRepository,
    private readonly objects: ObjectStore,
    private readonly finalizer: JobFinalizer,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(NotificationHandler.name);
  }

  async handle(message: QueueMessage): Promise<HandleResult> {
    let notification: SageMakerNotification;
    try {
      notification = parseSageMakerNotification(message.body);
    } catch (error) {
      if (error instanceof MalformedNotificationError) {
        // retrying cannot fix the shape of a message: it goes to the DLQ after the redrive limit
        this.logger.warn(
          { messageId: message.messageId, receiveCount: message.receiveCount, reason: error.message },
          'malformed notification',
        );
        return 'poison';
      }
      throw error;
    }
    const jobId = notification.inferenceId;
    const job = await this.jobs.get(jobId);
    if (!job) {
      this.logger.warn({ jobId, messageId: message.messageId }, 'notification for an unknown job');
      return 'poison';
    }
    if (isFinalStatus(job.status)) {
      this.logger.info(
        { jobId, status: job.status, messageId: message.messageId },
        'duplicate notification; job already final',
      );
      return 'done';
    }
    const times: InferenceTimes = {
      ...(notification.receivedTime ? { receivedAt: notification.receivedTime } : {}),
      ...(notification.eventTime ? { completedAt: notification.eventTime } : {}),
    };
    if (notification.invocationStatus === 'Completed') {
      return this.succeed(job, notification, times);
    }
    await this.finalizer.fail(
      job,
      { code: JobErrorCode.ModelError, message: await this.failureReason(job, notification) },
      times,
    );
    return 'done';
  }

  private async succeed(job: Job, notification: SageMakerNotification, times: InferenceTimes): Promise<HandleResult> {
    // real SageMaker names the output object; take it from the notification, never build it
    const outputLocation = notification.responseParameters?.outputLocation ?? job.outputLocation;
    if (!outputLocation) {
      this.logger.warn({ jobId: job.jobId }, 'completed notification without an output location');
      return 'poison';
    }
    try {
      const output = await this.objects.get(parseS3Uri(outputLocation));
      await this.finalizer.succeed(job, output, times);
      return 'done';
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        // the notification can outrun the object's visibility; a later delivery will find it
        this.logger.warn({ jobId: job.jobId, outputLocation }, 'output not readable yet');
        return 'retry';
      }
      throw error;
    }
  }

  /** The failure file's text when there is one, else SageMaker's failureReason. */
  private async failureReason(job: Job, notification: SageMakerNotification): Promise<string> {
    const fallback = notification.failureReason ?? 'The model failed without giving a reason';
    const location = failureLocationOf(notification) ?? job.failureLocation;
    if (!location) {
      return fallback;
    }
    try {
      const failure = await this.objects.get(parseS3Uri(location));
      const reason = readableReason(failure.body.toString('utf8').trim());
      return reason ? reason.slice(0, MAX_REASON_LENGTH) : fallback;
    } catch (error) {
      this.logger.warn({ jobId: job.jobId, location, err: error }, 'failure file not readable; using failureReason');
      return fallback;
    }
  }
}

/** Failure files hold whatever the container answered: often JSON with a message, sometimes plain text. */
export function readableReason(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const body = parsed as {
        message?: unknown;
        Message?: unknown;
        OriginalMessage?: unknown;
        error?: { message?: unknown };
      };
      const message = body.message ?? body.Message ?? body.OriginalMessage ?? body.error?.message;
      if (typeof message === 'string' && message.trim()) {
        return message.trim();
      }
    }
  } catch {
    // not JSON: the text is the reason
  }
  return text;
}
