import { JOB_INDEX_SHARD_KEYS, type JobLifecycleRepository, type JobRepository } from '#libs/aws';
import { isFinalStatus } from '#libs/contracts';
import type { JobTimeouts } from './job-timeouts.js';
import type { ReaperConfig } from './reaper.config.js';

export interface SweepResult {
  /** Jobs this sweep changed (timed out, or deleted). */
  done: number;
  /** A shard gave a full page: more may be waiting, sweep again at once. */
  more: boolean;
}

/**
 * Finds the unsettled jobs a grace period past their deadline, through the sparse `byDeadline` index, one page per
 * shard: a job still QUEUED or RUNNING is timed out; a final job still there had its final-state report cut short
 * by a crash (the write happened, the slot, budget hold or webhook did not follow) and is reported again. The index
 * is eventually consistent, so each job is read again (strongly) first.
 */
export class DeadlineSweep {
  constructor(
    private readonly lifecycle: Pick<JobLifecycleRepository, 'overdue'>,
    private readonly jobs: Pick<JobRepository, 'get'>,
    private readonly timeouts: Pick<JobTimeouts, 'timeOut' | 'reportAgain'>,
    private readonly config: Pick<ReaperConfig, 'batchSize' | 'graceMs'>,
  ) {}

  async sweep(nowMs: number): Promise<SweepResult> {
    const before = new Date(nowMs - this.config.graceMs).toISOString();
    let done = 0;
    let more = false;
    for (const shard of JOB_INDEX_SHARD_KEYS) {
      const overdue = await this.lifecycle.overdue(shard, before, this.config.batchSize);
      more ||= overdue.length === this.config.batchSize;
      for (const listed of overdue) {
        const job = await this.jobs.get(listed.jobId);
        if (!job) {
          continue;
        }
        if (isFinalStatus(job.status)) {
          // final, but its report never completed (a process died in between): report it again
          await this.timeouts.reportAgain(job);
          done += 1;
          continue;
        }
        if (await this.timeouts.timeOut(job, new Date(nowMs))) {
          done += 1;
        }
      }
    }
    return { done, more };
  }
}
