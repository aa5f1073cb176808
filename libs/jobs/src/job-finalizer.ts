import { type JobRepository, type ObjectStore } from '#libs/aws';
import {
  ACTIVE_JOB_STATUSES,
  imageKey,
  isFinalStatus,
  type Job,
  type JobCost,
  type JobError,
  JobErrorCode,
  type JobImage,
  JobStatus,
  type JobTimings,
} from '#libs/contracts';
import { codecFor, type DecodedImage, jobCost, type ModelCatalog, ModelOutputError, NO_COST } from '#libs/models';
import { CONTENT_TYPES, normalizeImage } from './image-normalizer.js';
import { type JobFinalListener, reportFinal } from './job-final-listener.js';

export interface ModelOutput {
  body: Buffer;
  contentType?: string;
}

/** When SageMaker took the request and when it finished, from the notification. */
export interface InferenceTimes {
  receivedAt?: string;
  completedAt?: string;
}

/** `canceled`: the model stopped on its cancel marker; `discarded`: the result of a canceled or deleted job. */
export type FinalizeOutcome = 'succeeded' | 'failed' | 'timed-out' | 'already-final' | 'canceled' | 'discarded';

export interface FinalizerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

function millisBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) {
    return undefined;
  }
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function finalTimings(job: Job, times: InferenceTimes, finalizedAt: string): JobTimings {
  const queueMs = millisBetween(job.timings.submittedAt, times.receivedAt);
  const inferenceMs = millisBetween(times.receivedAt, times.completedAt);
  const totalMs = millisBetween(job.timings.submittedAt, finalizedAt);
  return {
    ...job.timings,
    ...(times.completedAt ? { completedAt: times.completedAt } : {}),
    finalizedAt,
    ...(queueMs !== undefined ? { queueMs } : {}),
    ...(inferenceMs !== undefined ? { inferenceMs } : {}),
    ...(totalMs !== undefined ? { totalMs } : {}),
  };
}

/**
 * Turns a model's answer into a final job: decodes it with the model's codec, stores the images in the
 * images bucket, then moves the job to SUCCEEDED (or FAILED) with one conditional write. Safe to repeat:
 * a job that is already final is left as it is, and images are written under deterministic keys.
 */
export class JobFinalizer {
  constructor(
    private readonly jobs: JobRepository,
    private readonly objects: ObjectStore,
    private readonly catalog: ModelCatalog,
    private readonly imagesBucket: string,
    private readonly logger: FinalizerLogger,
    private readonly listeners: readonly JobFinalListener[],
  ) {}

  /**
   * Tells the listeners about a job that is already final, again: a duplicate or retried notification repairs a
   * report that failed after the job's final write.
   */
  async reportAlreadyFinal(job: Job): Promise<void> {
    if (isFinalStatus(job.status)) {
      await reportFinal(this.listeners, job);
    }
  }

  async succeed(job: Job, output: ModelOutput, times: InferenceTimes): Promise<FinalizeOutcome> {
    const model = this.catalog.find(job.params.modelId);
    if (!model) {
      return this.fail(
        job,
        { code: JobErrorCode.ModelUnknown, message: `model ${job.params.modelId} is no longer in the catalog` },
        times,
      );
    }
    let images: JobImage[];
    try {
      const decoded = codecFor(model.codec).decodeResponse(output.body, output.contentType);
      images = await this.storeImages(job, decoded);
    } catch (error) {
      // the model's answer is at fault (not JSON, no image, an image sharp cannot read): no retry can help
      if (error instanceof ModelOutputError) {
        return this.fail(job, { code: error.code, message: error.message }, times);
      }
      throw error;
    }
    const updated = await this.finish(job, JobStatus.Succeeded, { images }, times);
    if (!updated) {
      this.logger.info({ jobId: job.jobId }, 'job was already final; success ignored');
      const current = await this.reportCurrent(job.jobId);
      if (current?.status !== JobStatus.Succeeded) {
        // timed out (or gone) while this result was being stored: nobody will read these images
        await Promise.all(images.map((image) => this.objects.delete({ bucket: this.imagesBucket, key: image.key })));
      }
      return 'already-final';
    }
    await reportFinal(this.listeners, updated);
    this.logger.info({ jobId: job.jobId, images: images.length, totalMs: updated.timings.totalMs }, 'job succeeded');
    return 'succeeded';
  }

  /** Normalizes every image, then stores it under its deterministic key (a retry overwrites, never duplicates). */
  private async storeImages(job: Job, decoded: readonly DecodedImage[]): Promise<JobImage[]> {
    const normalized = [];
    for (const image of decoded) {
      normalized.push(await normalizeImage(image.data, job.params.outputFormat));
    }
    const images: JobImage[] = [];
    for (const [index, image] of normalized.entries()) {
      const key = imageKey(job.ownerId, job.jobId, index, image.format);
      await this.objects.put({ bucket: this.imagesBucket, key }, image.data, CONTENT_TYPES[image.format]);
      images.push({ key, width: image.width, height: image.height, format: image.format, bytes: image.data.length });
    }
    return images;
  }

  async fail(job: Job, error: JobError, times: InferenceTimes): Promise<FinalizeOutcome> {
    const updated = await this.finish(job, JobStatus.Failed, { error }, times);
    if (!updated) {
      this.logger.info({ jobId: job.jobId }, 'job was already final; failure ignored');
      await this.reportCurrent(job.jobId);
      return 'already-final';
    }
    await reportFinal(this.listeners, updated);
    this.logger.warn({ jobId: job.jobId, code: error.code, reason: error.message }, 'job failed');
    return 'failed';
  }

  /**
   * SageMaker said the job ran out of time (QUEUE_TIMEOUT: it never left the queue, so it costs nothing;
   * INFERENCE_TIMEOUT: the GPU worked until the timeout): TIMED_OUT with that code.
   */
  async timeOut(job: Job, error: JobError, times: InferenceTimes): Promise<FinalizeOutcome> {
    const cost = error.code === JobErrorCode.QueueTimeout ? NO_COST : undefined;
    const updated = await this.finish(job, JobStatus.TimedOut, { error }, times, cost);
    if (!updated) {
      this.logger.info({ jobId: job.jobId }, 'job was already final; timeout ignored');
      await this.reportCurrent(job.jobId);
      return 'already-final';
    }
    await reportFinal(this.listeners, updated);
    this.logger.warn({ jobId: job.jobId, code: error.code, reason: error.message }, 'job timed out');
    return 'timed-out';
  }

  /** Someone else made the job final meanwhile: report it as it is now (their report may have failed). */
  private async reportCurrent(jobId: string): Promise<Job | undefined> {
    const current = await this.jobs.get(jobId);
    if (current) {
      await this.reportAlreadyFinal(current);
    }
    return current;
  }

  /** The one conditional write that makes a job final; undefined when it already was. */
  private finish(
    job: Job,
    to: typeof JobStatus.Succeeded | typeof JobStatus.Failed | typeof JobStatus.TimedOut,
    set: Pick<Job, 'images'> | { error: JobError },
    times: InferenceTimes,
    knownCost?: JobCost,
  ): Promise<Job | undefined> {
    const finalizedAt = new Date().toISOString();
    const timings = finalTimings(job, times, finalizedAt);
    // the seam for a model that reports its own GPU time: pass it as `modelSeconds` (no codec's output has one yet)
    const cost = knownCost ?? jobCost(this.catalog.find(job.params.modelId), { inferenceMs: timings.inferenceMs });
    return this.jobs.transition({
      jobId: job.jobId,
      ownerId: job.ownerId,
      from: ACTIVE_JOB_STATUSES,
      to,
      set: { ...set, updatedAt: finalizedAt, timings, cost },
    });
  }
}
