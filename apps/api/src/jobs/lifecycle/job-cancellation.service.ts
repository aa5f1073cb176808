import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CancelMarkers, JobRepository } from '#libs/aws';
import { isFinalStatus, type Job, JobStatus } from '#libs/contracts';
import { cancelTransition, JOB_FINAL_LISTENERS, type JobFinalListener, reportFinal } from '#libs/jobs';
import { ModelCatalog } from '#libs/models';
import type { AuthUser } from '../../auth/auth-user.js';
import { ProblemException } from '../../problem/problem.js';
import { JobsService } from '../jobs.service.js';

/** A job that turns RUNNING between our read and our write is read again; more changes than this are not expected. */
const MAX_ATTEMPTS = 3;

export type CancelOutcome = 'canceled' | 'already-canceled';

/**
 * Cancels QUEUED and RUNNING jobs. Order: the cancel marker first (the model side stops on it), then the one
 * conditional write to CANCELED. A crash between them leaves a job the model stops on: the worker finishes the cancel
 * from the model's failure. The write is conditional on the state it was computed for, so a cancel racing the
 * worker's finalize ends in exactly one final state; whoever wins reports it (in-flight slot, budget hold) once.
 */
@Injectable()
export class JobCancellationService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly reads: JobsService,
    private readonly markers: CancelMarkers,
    private readonly catalog: ModelCatalog,
    private readonly logger: PinoLogger,
    @Inject(JOB_FINAL_LISTENERS) private readonly finalListeners: readonly JobFinalListener[],
  ) {
    this.logger.setContext(JobCancellationService.name);
  }

  /**
   * The caller's job (an administrator's: anyone's), CANCELED. Already CANCELED: answered as it is (a repeated cancel
   * is not an error). Another final state: 409 job-not-cancelable.
   */
  async cancel(user: AuthUser, jobId: string): Promise<{ job: Job; outcome: CancelOutcome }> {
    let job = await this.reads.get(user, jobId);
    for (let attempt = 1; ; attempt += 1) {
      if (job.status === JobStatus.Canceled) {
        // repeats the report, in case the first one failed half-way: every listener ignores a second report
        await reportFinal(this.finalListeners, job);
        return { job, outcome: 'already-canceled' };
      }
      if (isFinalStatus(job.status)) {
        throw ProblemException.jobNotCancelable(job.jobId, job.status);
      }
      if (attempt === 1) {
        await this.markers.place(job.inferenceId, new Date().toISOString());
      }
      const canceled = await this.write(job, user);
      if (canceled) {
        this.logger.info(
          {
            jobId,
            from: canceled.cancellation?.from,
            gpuSecondsSaved: canceled.cancellation?.gpuSecondsSaved,
            ownerId: job.ownerId,
            by: user.id,
          },
          'job canceled',
        );
        await reportFinal(this.finalListeners, canceled);
        return { job: canceled, outcome: 'canceled' };
      }
      // someone else moved it meanwhile: the worker finalized it, or it started RUNNING
      const current = await this.jobs.get(jobId);
      if (!current) {
        // deleted (or expired) meanwhile
        throw ProblemException.notFound(`No job ${jobId}`);
      }
      if (attempt === MAX_ATTEMPTS) {
        throw ProblemException.dependencyUnavailable(`Job ${jobId} changed while it was being canceled; try again.`);
      }
      job = current;
    }
  }

  private write(job: Job, user: AuthUser): Promise<Job | undefined> {
    const byOwner = job.ownerId === user.id;
    return this.jobs.transition(
      cancelTransition({
        job,
        model: this.catalog.find(job.params.modelId),
        canceledAt: new Date(),
        message: byOwner ? 'The job was canceled by its owner.' : 'The job was canceled by an administrator.',
      }),
    );
  }
}
