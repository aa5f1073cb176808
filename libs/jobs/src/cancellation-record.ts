import { type Job, type JobCancellation, type JobCost, JobErrorCode, JobStatus, microsToUsd } from '#libs/contracts';
import type { JobTransition } from '#libs/aws';
import { estimateCost, jobCost, type ModelDefinition, priceOfGpuSeconds } from '#libs/models';

export type CancelableStatus = typeof JobStatus.Queued | typeof JobStatus.Running;

export interface CancelInput {
  /** The job as it was read; its status is the one the cancel's conditional write expects. */
  job: Job;
  /** Its model (undefined: gone from the catalog, so nothing is priced). */
  model: Pick<ModelDefinition, 'hosting' | 'timing'> | undefined;
  canceledAt: Date;
  /**
   * GPU milliseconds the job used. Default: none while QUEUED; since `timings.startedAt` while RUNNING. The worker
   * passes what SageMaker's notification reports when the model stopped on the marker before the api's write.
   */
  usedMs?: number;
  message: string;
}

/** The attributes a cancel writes with the status: what was used (charged), what was saved, the error, timings. */
export interface CancelWrite {
  from: CancelableStatus;
  set: Pick<Job, 'updatedAt' | 'error' | 'timings' | 'cost' | 'cancellation'>;
}

function usedMsOf(job: Job, canceledAt: Date): number {
  if (job.status !== JobStatus.Running || !job.timings.startedAt) {
    return 0;
  }
  return Math.max(0, canceledAt.getTime() - Date.parse(job.timings.startedAt));
}

/**
 * What canceling an active job records. A job is charged only for the GPU time it used (0 while QUEUED), and
 * saves its estimate less that.
 */
export function cancelWrite({ job, model, canceledAt, usedMs, message }: CancelInput): CancelWrite {
  if (job.status !== JobStatus.Queued && job.status !== JobStatus.Running) {
    throw new RangeError(`job ${job.jobId} is ${job.status}, not cancelable`);
  }
  const used = Math.round(usedMs ?? usedMsOf(job, canceledAt));
  const cost: JobCost = jobCost(model, { inferenceMs: used });
  const estimatedGpuSeconds = model ? estimateCost(model, job.params).gpuSeconds : 0;
  // millisecond precision, like the ledger
  const gpuSecondsSaved = Math.max(0, Math.round((estimatedGpuSeconds - cost.gpuSeconds) * 1000) / 1000);
  const cancellation: JobCancellation = {
    canceledAt: canceledAt.toISOString(),
    from: job.status,
    estimatedGpuSeconds,
    gpuSecondsSaved,
    usdSaved: model ? microsToUsd(priceOfGpuSeconds(gpuSecondsSaved, model.hosting.hourlyUsd)) : 0,
  };
  const at = cancellation.canceledAt;
  return {
    from: job.status,
    set: {
      updatedAt: at,
      error: { code: JobErrorCode.Canceled, message },
      timings: {
        ...job.timings,
        finalizedAt: at,
        totalMs: Math.max(0, canceledAt.getTime() - Date.parse(job.timings.submittedAt)),
      },
      cost,
      cancellation,
    },
  };
}

/** The one conditional write that cancels `input.job` (as read): JobRepository.transition's input. */
export function cancelTransition(input: CancelInput): JobTransition {
  const { from, set } = cancelWrite(input);
  return { job: input.job, from: [from], to: JobStatus.Canceled, set };
}
