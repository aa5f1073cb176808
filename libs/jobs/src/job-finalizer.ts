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
  type ModelTimings,
} from '#libs/contracts';
import {
  codecFor,
  type DecodedImage,
  type DecodedResponse,
  jobCost,
  type ModelCatalog,
  ModelOutputError,
  NO_COST,
  requireDeliveredImages,
} from '#libs/models';
import { CONTENT_TYPES, normalizeImage } from './image-normalizer.js';
import { allOrFirstError, type JobFinalListener, reportFinal } from './job-final-listener.js';

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

function finalTimings(
  job: Job,
  times: InferenceTimes,
  finalizedAt: string,
  model: ModelTimings | undefined,
): JobTimings {
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
    ...(model ? { model } : {}),
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
    let response: DecodedResponse;
    let images: JobImage[];
    try {
      response = codecFor(model.codec).decodeResponse(output.body, output.contentType);
    } catch (error) {
      return this.failOnOutput(job, error, times, {});
    }
    // one outcome per image of the batch; the job keeps the ok ones (partial results), and fails with none
    const imageOutcomes = response.images.map((image) => image.outcome);
    const { modelTimings } = response;
    try {
      requireDeliveredImages(model.codec, response.images);
    } catch (error) {
      return this.failOnOutput(job, error, times, { imageOutcomes, modelTimings });
    }
    try {
      images = await this.storeImages(job, response.images);
    } catch (error) {
      return this.failOnOutput(job, error, times, { modelTimings });
    }
    const updated = await this.finish(job, JobStatus.Succeeded, { images, imageOutcomes }, times, modelTimings);
    if (!updated) {
      this.logger.info({ jobId: job.jobId }, 'job was already final; success ignored');
      const current = await this.reportCurrent(job.jobId);
      if (current?.status !== JobStatus.Succeeded) {
        // timed out (or gone) while this result was being stored: nobody will read these images
        await this.objects.deleteMany(images.map((image) => ({ bucket: this.imagesBucket, key: image.key })));
      }
      return 'already-final';
    }
    await reportFinal(this.listeners, updated);
    this.logger.info({ jobId: job.jobId, images: images.length, totalMs: updated.timings.totalMs }, 'job succeeded');
    return 'succeeded';
  }

  /** The model's answer is at fault (not JSON, no usable image, an image sharp cannot read): no retry can help. */
  private failOnOutput(
    job: Job,
    error: unknown,
    times: InferenceTimes,
    answered: { imageOutcomes?: Job['imageOutcomes']; modelTimings?: ModelTimings | undefined },
  ): Promise<FinalizeOutcome> {
    if (error instanceof ModelOutputError) {
      const { modelTimings, ...set } = answered;
      return this.failWith(job, { code: error.code, message: error.message }, times, set, modelTimings);
    }
    throw error;
  }

  /**
   * Normalizes every usable image, then stores it under its deterministic key, named by its position in the batch
   * (a retry overwrites, never duplicates).
   */
  private async storeImages(job: Job, decoded: readonly DecodedImage[]): Promise<JobImage[]> {
    const normalized = [];
    for (const [index, image] of decoded.entries()) {
      if (image.outcome === 'ok') {
        normalized.push({ index, image: await normalizeImage(image.data, job.params.outputFormat) });
      }
    }
    return allOrFirstError(
      normalized.map(async ({ index, image }): Promise<JobImage> => {
        const key = imageKey(job.ownerId, job.jobId, index, image.format);
        await this.objects.put({ bucket: this.imagesBucket, key }, image.data, CONTENT_TYPES[image.format]);
        return { key, index, width: image.width, height: image.height, format: image.format, bytes: image.data.length };
      }),
    );
  }

  /** `knownCost`: what the job cost when the times cannot tell (NO_COST: it never reached a GPU). */
  async fail(job: Job, error: JobError, times: InferenceTimes, knownCost?: JobCost): Promise<FinalizeOutcome> {
    return this.failWith(job, error, times, {}, undefined, knownCost);
  }

  private async failWith(
    job: Job,
    error: JobError,
    times: InferenceTimes,
    set: Pick<Job, 'imageOutcomes'>,
    model: ModelTimings | undefined,
    knownCost?: JobCost,
  ): Promise<FinalizeOutcome> {
    const updated = await this.finish(job, JobStatus.Failed, { ...set, error }, times, model, knownCost);
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
    const updated = await this.finish(job, JobStatus.TimedOut, { error }, times, undefined, cost);
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
    set: Pick<Job, 'images' | 'imageOutcomes'> | (Partial<Pick<Job, 'imageOutcomes'>> & { error: JobError }),
    times: InferenceTimes,
    model: ModelTimings | undefined,
    knownCost?: JobCost,
  ): Promise<Job | undefined> {
    const finalizedAt = new Date().toISOString();
    const timings = finalTimings(job, times, finalizedAt, model);
    // a container that times its own rendering (imggen) is charged for that, not for SageMaker's backlog too
    const modelSeconds = model?.inferenceMs !== undefined ? model.inferenceMs / 1000 : undefined;
    const cost =
      knownCost ??
      jobCost(this.catalog.find(job.params.modelId), {
        inferenceMs: timings.inferenceMs,
        ...(modelSeconds !== undefined ? { modelSeconds } : {}),
      });
    return this.jobs.transition({
      job,
      from: ACTIVE_JOB_STATUSES,
      to,
      set: { ...set, updatedAt: finalizedAt, timings, cost },
    });
  }
}
