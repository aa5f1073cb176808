import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CancelMarkers, DeletedJobs, ObjectStore, type S3Location, tryParseS3Uri } from '#libs/aws';
import { ACTIVE_JOB_STATUSES, type Job } from '#libs/contracts';
import type { AuthUser } from '../../auth/auth-user.js';
import { API_CONFIG, type ApiConfig } from '../../config/api.config.js';
import { JobsService } from '../jobs.service.js';
import { JobCancellationService } from './job-cancellation.service.js';

/** Where a job's images live: `images/{ownerId}/{jobId}/` (libs/contracts imageKey). */
export function imagesPrefix(job: Pick<Job, 'ownerId' | 'jobId'>): string {
  return `images/${job.ownerId}/${job.jobId}/`;
}

/**
 * Deletes a job with everything stored for it: its request, SageMaker's output or failure object, its images and its
 * cancel marker. An active job is canceled first (so its slot and budget hold are settled, and the model stops).
 * The item goes last, replaced by a tombstone: a crash half-way leaves the job in place for DELETE to be repeated,
 * and a late notification for it is then recognised and dropped. The usage it booked stays booked.
 */
@Injectable()
export class JobDeletionService {
  constructor(
    private readonly reads: JobsService,
    private readonly cancellation: JobCancellationService,
    private readonly objects: ObjectStore,
    private readonly markers: CancelMarkers,
    private readonly deleted: DeletedJobs,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.logger.setContext(JobDeletionService.name);
  }

  async delete(user: AuthUser, jobId: string): Promise<void> {
    let job = await this.reads.get(user, jobId);
    if (ACTIVE_JOB_STATUSES.includes(job.status)) {
      try {
        job = (await this.cancellation.cancel(user, jobId)).job;
      } catch (error) {
        // it became final meanwhile (cancel answers 409): nothing left to cancel, delete it as it is
        job = await this.reads.get(user, jobId);
        if (ACTIVE_JOB_STATUSES.includes(job.status)) {
          throw error;
        }
      }
    }
    await this.objects.deleteMany(await this.locationsOf(job));
    if (!(await this.deleted.bury(job, new Date()))) {
      // a concurrent DELETE buried it first
      this.logger.info({ jobId }, 'job was already deleted');
    }
    this.logger.info({ jobId, ownerId: job.ownerId, by: user.id, status: job.status }, 'job deleted');
  }

  private async locationsOf(job: Job): Promise<S3Location[]> {
    const { imagesBucket } = this.config.resources;
    const uris = [job.requestLocation, job.outputLocation, job.failureLocation];
    // by prefix, not only job.images: a result that lost the race with a cancel may have stored images too
    const imageKeys = new Set([
      ...job.images.map((image) => image.key),
      ...(await this.objects.listKeys(imagesBucket, imagesPrefix(job))),
    ]);
    return [
      ...uris.flatMap((uri) => {
        const location = uri ? tryParseS3Uri(uri) : undefined;
        return location ? [location] : [];
      }),
      this.markers.locationOf(job.inferenceId),
      ...[...imageKeys].map((key) => ({ bucket: imagesBucket, key })),
    ];
  }
}
