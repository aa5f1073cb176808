import type { JobRepository } from '#libs/aws';
import type { Job } from '#libs/contracts';
import type { JobFinalListener } from './job-final-listener.js';

/**
 * The last final-state listener: once every listener before it has taken the job's final state (slot in flight,
 * usage settlement, webhook event), the job leaves the index of unsettled jobs. A process that dies before this
 * point leaves the job there, and the reaper reports it again (DeadlineSweep), so no budget hold outlives a crash.
 */
export class SettledMarker implements JobFinalListener {
  readonly afterOthers = true;

  constructor(private readonly jobs: Pick<JobRepository, 'markSettled'>) {}

  async jobFinal(job: Job): Promise<void> {
    if (job.deadlineAt !== undefined) {
      await this.jobs.markSettled(job.jobId);
    }
  }
}
