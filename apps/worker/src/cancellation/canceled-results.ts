import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { JobRepository, ObjectStore, type S3Location, tryParseS3Uri } from '#libs/aws';
import { failureLocationOf, isCancellationFailure, type Job, type SageMakerNotification } from '#libs/contracts';
import { cancelTransition, JOB_FINAL_LISTENERS, type JobFinalListener, reportFinal } from '#libs/jobs';
import { ModelCatalog } from '#libs/models';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker.config.js';

function millisBetween(from: string | undefined, to: string | undefined): number | undefined {
  const ms = from && to ? Date.parse(to) - Date.parse(from) : Number.NaN;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * What the worker does with results of canceled, timed-out and deleted jobs: nothing is recorded, the objects SageMaker wrote
 * (output, failure) and any image already stored are deleted, and the message is done with (no retry, no DLQ).
 * When the model stopped on its cancel marker before the api's own write (the api crashed between the marker and the
 * write, or lost the race), the worker completes the cancel: CANCELED, charged what SageMaker says it ran.
 */
@Injectable()
export class CanceledResults {
  constructor(
    private readonly jobs: JobRepository,
    private readonly objects: ObjectStore,
    private readonly catalog: ModelCatalog,
    private readonly logger: PinoLogger,
    @Inject(JOB_FINAL_LISTENERS) private readonly finalListeners: readonly JobFinalListener[],
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    this.logger.setContext(CanceledResults.name);
  }

  /** The model stopped because of a cancel marker (its failure reason says so). */
  isCancellation(notification: SageMakerNotification): boolean {
    return notification.invocationStatus === 'Failed' && isCancellationFailure(notification.failureReason);
  }

  /** Deletes what SageMaker wrote for the notification and, for a known job, its images; records nothing. */
  async discard(notification: SageMakerNotification, job?: Pick<Job, 'jobId' | 'ownerId'>): Promise<void> {
    const uris = [notification.responseParameters?.outputLocation, failureLocationOf(notification)];
    const locations: S3Location[] = uris.flatMap((uri) => {
      const location = uri ? tryParseS3Uri(uri) : undefined;
      return location ? [location] : [];
    });
    if (job) {
      const bucket = this.config.resources.imagesBucket;
      const keys = await this.objects.listKeys(bucket, `images/${job.ownerId}/${job.jobId}/`);
      locations.push(...keys.map((key) => ({ bucket, key })));
    }
    await this.objects.deleteMany(locations);
    this.logger.info(
      { jobId: notification.inferenceId, invocationStatus: notification.invocationStatus, deleted: locations.length },
      'result of a canceled or deleted job discarded',
    );
  }

  /**
   * An active job whose model stopped on its cancel marker: CANCELED with what SageMaker says it ran, reported once
   * (undefined: someone else made it final first, and their report stands).
   */
  async complete(job: Job, notification: SageMakerNotification): Promise<Job | undefined> {
    const canceled = await this.jobs.transition(
      cancelTransition({
        job,
        model: this.catalog.find(job.params.modelId),
        canceledAt: new Date(),
        usedMs: millisBetween(notification.receivedTime, notification.eventTime) ?? 0,
        message: 'The job was canceled.',
      }),
    );
    if (canceled) {
      this.logger.info({ jobId: job.jobId, from: job.status }, 'the model stopped on its cancel marker; job canceled');
      await reportFinal(this.finalListeners, canceled);
    }
    return canceled;
  }
}
