import type * as EmbeddedMetrics from 'aws-embedded-metrics';
import { isFinalStatus, type Job } from '#libs/contracts';
import { platformMetrics } from './registry.js';

export interface JobMetricsOptions {
  /**
   * Also write each final job as a CloudWatch embedded-metric-format line (namespace `imggen`): in AWS, CloudWatch
   * Logs turns those lines into metrics with no agent and no API call.
   */
  emf: boolean;
}

const seconds = (from?: string, to?: string): number | undefined =>
  from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : undefined;

/** Status as a metric label: `succeeded`, `timed_out`, ... */
const statusLabel = (job: Job): string => job.status.toLowerCase();

/**
 * Records a job's milestones as metrics. Each is reported once per job: by the code that wrote the change (the
 * submission, the invocation record, and, as the JobRepository's write observer, the one conditional write that
 * made the job final).
 */
export class JobMetrics {
  private emfLibrary: Promise<typeof EmbeddedMetrics> | undefined;

  constructor(private readonly options: JobMetricsOptions) {}

  /**
   * aws-embedded-metrics, loaded on first use: it settles where lines go when it loads, and they must go to stdout
   * (which the ECS awslogs driver ships to CloudWatch Logs), not to the CloudWatch agent it would look for on ECS.
   */
  private emf(): Promise<typeof EmbeddedMetrics> {
    process.env.AWS_EMF_ENVIRONMENT ??= 'Local';
    this.emfLibrary ??= import('aws-embedded-metrics');
    return this.emfLibrary;
  }

  submitted(job: Job): void {
    platformMetrics.jobsSubmitted.inc({ model: job.params.modelId });
  }

  invoked(job: Job): void {
    const waited = seconds(job.timings.submittedAt, job.timings.invokedAt);
    if (waited !== undefined) {
      platformMetrics.submitToInvoked.observe({ model: job.params.modelId }, waited);
    }
  }

  /** Never rejects: a metric must not fail the write it describes. */
  async finalized(job: Job): Promise<void> {
    if (!isFinalStatus(job.status)) {
      return;
    }
    const model = job.params.modelId;
    const status = statusLabel(job);
    const { timings } = job;
    platformMetrics.jobsFinished.inc({ model, status });
    const endToEnd = seconds(timings.submittedAt, timings.finalizedAt);
    const inference = timings.inferenceMs !== undefined ? timings.inferenceMs / 1000 : undefined;
    const toFinalized = seconds(timings.completedAt, timings.finalizedAt);
    if (endToEnd !== undefined) {
      platformMetrics.endToEnd.observe({ model, status }, endToEnd);
    }
    if (inference !== undefined) {
      platformMetrics.inference.observe({ model }, inference);
    }
    if (toFinalized !== undefined) {
      platformMetrics.notificationToFinalized.observe({ model }, toFinalized);
    }
    if (this.options.emf) {
      await this.writeEmf(job, { model, status, endToEnd, inference, toFinalized }).catch(() => undefined);
    }
  }

  private async writeEmf(
    job: Job,
    figures: { model: string; status: string; endToEnd?: number; inference?: number; toFinalized?: number },
  ): Promise<void> {
    const { model, status, endToEnd, inference, toFinalized } = figures;
    const { createMetricsLogger, StorageResolution, Unit } = await this.emf();
    const emf = createMetricsLogger();
    emf.setNamespace('imggen');
    emf.setDimensions({ Model: model, Status: status });
    emf.putMetric('JobsFinished', 1, Unit.Count, StorageResolution.Standard);
    if (endToEnd !== undefined) {
      emf.putMetric('JobEndToEnd', endToEnd * 1000, Unit.Milliseconds);
    }
    if (inference !== undefined) {
      emf.putMetric('JobInference', inference * 1000, Unit.Milliseconds);
    }
    if (toFinalized !== undefined) {
      emf.putMetric('JobNotificationToFinalized', toFinalized * 1000, Unit.Milliseconds);
    }
    emf.setProperty('jobId', job.jobId);
    if (job.trace) {
      emf.setProperty('traceparent', job.trace.traceparent);
    }
    await emf.flush();
  }
}
