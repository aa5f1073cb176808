import type { ModelStatsRepository } from '#libs/aws';
import { type Job, JobStatus } from '#libs/contracts';
import type { JobFinalListener } from '#libs/jobs';
import { estimateCost, type ModelCatalog } from '#libs/models';
import type { PinoLogger } from 'nestjs-pino';

/**
 * How long a job's inference took, for the model's average: from the model's "started" to its output when it
 * reported a start, else SageMaker's received → completed span (which includes time in the endpoint's backlog).
 */
export function inferenceSampleMs(job: Job): number | undefined {
  const { startedAt, completedAt, inferenceMs } = job.timings;
  if (startedAt && completedAt) {
    const ms = Date.parse(completedAt) - Date.parse(startedAt);
    return ms >= 0 ? ms : undefined;
  }
  return inferenceMs;
}

/**
 * On every SUCCEEDED job, one sample of its model's speed: its inference time over the catalog's estimate for the
 * job's size (one item per model; never throws).
 */
export class InferenceStatsListener implements JobFinalListener {
  constructor(
    private readonly stats: ModelStatsRepository,
    private readonly catalog: ModelCatalog,
    private readonly logger: PinoLogger,
  ) {}

  async jobFinal(job: Job): Promise<void> {
    if (job.status !== JobStatus.Succeeded) {
      return;
    }
    const sample = inferenceSampleMs(job);
    const model = this.catalog.find(job.params.modelId);
    const estimatedMs = model ? estimateCost(model, job.params).gpuSeconds * 1000 : 0;
    if (sample === undefined || estimatedMs <= 0) {
      return;
    }
    try {
      await this.stats.record(job.params.modelId, 'inference', sample / estimatedMs);
    } catch (error) {
      // an average without this sample is still an average: never hold up the job's finalization for it
      this.logger.warn({ err: error, jobId: job.jobId }, 'could not record the inference time');
    }
  }
}
