import {
  JOB_INDEX_SHARD_KEYS,
  type JobLifecycleRepository,
  type ObjectStore,
  type S3Location,
  tryParseS3Uri,
} from '#libs/aws';
import { isFinalStatus, type Job } from '#libs/contracts';
import type { SweepResult } from './deadline-sweep.js';
import type { JobTimeouts } from './job-timeouts.js';
import type { ReaperConfig } from './reaper.config.js';

/**
 * Deletes the jobs past their retention (`expiresAt`) with their request, SageMaker outputs and images, through
 * the `byExpiry` index, one page per shard. In AWS DynamoDB TTL and S3 lifecycle rules do the same (later: TTL lags
 * by up to two days); locally, where dynalite and fauxqs do neither, only this does. Objects go first and the row
 * last, so a sweep cut short is finished by the next one. A job still active when it expires is timed out first,
 * so its slot in flight and its budget hold are settled.
 */
export class RetentionSweep {
  constructor(
    private readonly lifecycle: Pick<JobLifecycleRepository, 'expired' | 'deleteExpired'>,
    private readonly objects: Pick<ObjectStore, 'deleteMany'>,
    private readonly timeouts: Pick<JobTimeouts, 'timeOut'>,
    private readonly imagesBucket: string,
    private readonly config: Pick<ReaperConfig, 'batchSize'>,
  ) {}

  async sweep(nowMs: number): Promise<SweepResult> {
    const nowSeconds = Math.floor(nowMs / 1000);
    let done = 0;
    let more = false;
    for (const shard of JOB_INDEX_SHARD_KEYS) {
      const expired = await this.lifecycle.expired(shard, nowSeconds + 1, this.config.batchSize);
      more ||= expired.length === this.config.batchSize;
      for (const job of expired) {
        if (!isFinalStatus(job.status)) {
          await this.timeouts.timeOut(job, new Date(nowMs));
        }
        await this.objects.deleteMany(this.objectsOf(job));
        if (await this.lifecycle.deleteExpired(job.jobId, nowSeconds)) {
          done += 1;
        }
      }
    }
    return { done, more };
  }

  /** Every object the job's row names: its request, SageMaker's output and failure payloads, its images. */
  private objectsOf(job: Job): S3Location[] {
    const uris = [job.requestLocation, job.outputLocation, job.failureLocation];
    return [
      ...uris.flatMap((uri) => (uri ? (tryParseS3Uri(uri) ?? []) : [])),
      ...job.images.map((image) => ({ bucket: this.imagesBucket, key: image.key })),
    ];
  }
}
