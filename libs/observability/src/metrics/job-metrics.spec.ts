import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { JobMetrics } from './job-metrics.js';
import { metricsRegistry } from './registry.js';

describe('JobMetrics', () => {
  afterEach(() => {
    metricsRegistry.resetMetrics();
    jest.restoreAllMocks();
  });

  const finished = (overrides = {}) =>
    JobFactory.create({
      status: JobStatus.Succeeded,
      timings: {
        submittedAt: '2026-11-27T08:00:00.000Z',
        invokedAt: '2026-11-27T08:00:00.050Z',
        startedAt: '2026-11-27T08:00:01.000Z',
        completedAt: '2026-11-27T08:00:04.000Z',
        finalizedAt: '2026-11-27T08:00:04.040Z',
        inferenceMs: 3000,
      },
      ...overrides,
    });

  it('counts a final job by model and status and observes its latencies', async () => {
    const job = finished();
    await new JobMetrics({ emf: false }).finalized(job);
    const model = job.params.modelId;
    const scrape = await metricsRegistry.metrics();
    expect(scrape).toContain(`imggen_jobs_finished_total{model="${model}",status="succeeded"} 1`);
    expect(scrape).toContain(`imggen_job_end_to_end_seconds_sum{model="${model}",status="succeeded"} 4.04`);
    expect(scrape).toContain(`imggen_job_inference_seconds_sum{model="${model}"} 3`);
    expect(scrape).toContain(`imggen_job_notification_to_finalized_seconds_sum{model="${model}"} 0.04`);
  });

  it('ignores a job that is not final, and times it cannot compute', async () => {
    const metrics = new JobMetrics({ emf: false });
    await metrics.finalized(JobFactory.create({ status: JobStatus.Running }));
    expect(await metricsRegistry.metrics()).not.toContain('imggen_jobs_finished_total{');
    const job = JobFactory.create({ status: JobStatus.Canceled, timings: { submittedAt: '2026-11-27T08:00:00.000Z' } });
    await metrics.finalized(job);
    const scrape = await metricsRegistry.metrics();
    expect(scrape).toContain(`imggen_jobs_finished_total{model="${job.params.modelId}",status="canceled"} 1`);
    expect(scrape).not.toContain('imggen_job_inference_seconds_count{');
  });

  it('observes submit → invoked', async () => {
    const job = finished();
    new JobMetrics({ emf: false }).invoked(job);
    expect(await metricsRegistry.metrics()).toContain(
      `imggen_job_submit_to_invoked_seconds_sum{model="${job.params.modelId}"} 0.05`,
    );
  });

  it('writes one embedded-metric-format line per final job when EMF is on', async () => {
    const lines: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const job = finished({ trace: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    await new JobMetrics({ emf: true }).finalized(job);
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0]!) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive!.Namespace).toBe('imggen');
    expect(directive!.Dimensions).toEqual([['Model', 'Status']]);
    expect(directive!.Metrics.map((m) => m.Name)).toEqual(
      expect.arrayContaining(['JobsFinished', 'JobEndToEnd', 'JobInference', 'JobNotificationToFinalized']),
    );
    expect(emf).toMatchObject({
      Model: job.params.modelId,
      Status: 'succeeded',
      JobsFinished: 1,
      JobEndToEnd: 4040,
      jobId: job.jobId,
      traceparent: job.trace!.traceparent,
    });
  });
});
