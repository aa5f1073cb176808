import { type JobRepository } from '#libs/aws';
import { ACTIVE_JOB_STATUSES, type Job, JobErrorCode, JobStatus } from '#libs/contracts';
import { type JobFinalListener, reportFinal } from '#libs/jobs';

export interface TimeoutLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Tries a failed final-state report again this many times in all before leaving it to a later repair. */
const REPORT_ATTEMPTS = 3;
const REPORT_RETRY_MS = 200;

/**
 * Makes an unfinished job TIMED_OUT: one conditional write from QUEUED/RUNNING (which also takes the job out of
 * the index of active jobs), so of several reapers, or a reaper and a late notification, exactly one finalizes it;
 * only that one reports it to the final-state listeners (slot in flight, budget hold). A report that still fails,
 * or that a crash cut short, is repaired by a later notification for the job or by the next deadline sweep (the
 * job stays in the index of unsettled jobs until its report completes).
 *
 * No cost is recorded: whether the GPU worked on the job is unknown, so the usage settlement charges its hold.
 */
export class JobTimeouts {
  constructor(
    private readonly jobs: Pick<JobRepository, 'transition'>,
    private readonly listeners: readonly JobFinalListener[],
    private readonly logger: TimeoutLogger,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** The job as it became TIMED_OUT, or undefined when it was already final (someone else won). */
  async timeOut(job: Job, now: Date): Promise<Job | undefined> {
    const finalizedAt = now.toISOString();
    const totalMs = now.getTime() - Date.parse(job.timings.submittedAt);
    const timedOut = await this.jobs.transition({
      job,
      from: ACTIVE_JOB_STATUSES,
      to: JobStatus.TimedOut,
      set: {
        updatedAt: finalizedAt,
        error: {
          code: JobErrorCode.TimedOut,
          message:
            `The job did not finish by its deadline (${job.deadlineAt ?? 'unknown'}` +
            (job.timeoutSeconds !== undefined ? `, ${job.timeoutSeconds} s after submission)` : ')'),
        },
        timings: { ...job.timings, finalizedAt, ...(totalMs >= 0 ? { totalMs } : {}) },
      },
    });
    if (!timedOut) {
      return undefined;
    }
    this.logger.info({ jobId: job.jobId, deadlineAt: job.deadlineAt }, 'job timed out');
    await this.report(timedOut);
    return timedOut;
  }

  /** Reports a job that is already final to the listeners again (a report a crash cut short). */
  async reportAgain(job: Job): Promise<void> {
    this.logger.info({ jobId: job.jobId, status: job.status }, 'final job still unsettled; reporting it again');
    await this.report(job);
  }

  private async report(job: Job): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await reportFinal(this.listeners, job);
        return;
      } catch (error) {
        if (attempt >= REPORT_ATTEMPTS) {
          this.logger.error(
            { err: error, jobId: job.jobId },
            'could not report the final job; a later notification or sweep repairs it',
          );
          return;
        }
        await this.pause(REPORT_RETRY_MS * attempt);
      }
    }
  }
}
