import { describe, expect, it } from '@jest/globals';
import { JobStatus } from '#libs/contracts';
import { estimateCost, ModelCatalog, priceOfGpuSeconds } from '#libs/models';
import { JobFactory } from '#libs/testing';
import { cancelTransition, cancelWrite } from './cancellation-record.js';

const model = ModelCatalog.builtIn().get('stable-diffusion-xl');
const canceledAt = new Date('2026-11-27T10:00:10.000Z');

describe(cancelWrite.name, () => {
  const estimate = estimateCost(model, JobFactory.create().params);

  it('charges nothing for a QUEUED job and saves its whole estimate', () => {
    const job = JobFactory.create({ status: JobStatus.Queued, createdAt: '2026-11-27T10:00:00.000Z' });
    const { from, set } = cancelWrite({ job, model, canceledAt, message: 'canceled' });
    expect(from).toBe(JobStatus.Queued);
    expect(set.cost).toEqual({ gpuSeconds: 0, usd: 0 });
    expect(set.cancellation).toEqual({
      canceledAt: canceledAt.toISOString(),
      from: 'QUEUED',
      estimatedGpuSeconds: estimate.gpuSeconds,
      gpuSecondsSaved: estimate.gpuSeconds,
      usdSaved: estimate.usd,
    });
    expect(set.error).toEqual({ code: 'CANCELED', message: 'canceled' });
    expect(set.timings).toMatchObject({ finalizedAt: canceledAt.toISOString(), totalMs: 10_000 });
  });

  it('charges a RUNNING job the GPU time since it started, and saves the rest of its estimate', () => {
    const job = JobFactory.create({
      status: JobStatus.Running,
      timings: { submittedAt: '2026-11-27T10:00:00.000Z', startedAt: '2026-11-27T10:00:08.000Z' },
    });
    const { from, set } = cancelWrite({ job, model, canceledAt, message: 'canceled' });
    expect(from).toBe(JobStatus.Running);
    expect(set.cost).toEqual({ gpuSeconds: 2, usd: priceOfGpuSeconds(2, model.hosting.hourlyUsd) / 1e6 });
    expect(set.cancellation?.gpuSecondsSaved).toBeCloseTo(estimate.gpuSeconds - 2, 3);
    expect(set.cancellation?.from).toBe('RUNNING');
  });

  it('charges what the notification reports when the worker completes the cancel, and never saves below 0', () => {
    const job = JobFactory.create({ status: JobStatus.Queued });
    const { set } = cancelWrite({ job, model, canceledAt, usedMs: 1e9, message: 'canceled' });
    expect(set.cost?.gpuSeconds).toBe(1e6);
    expect(set.cancellation?.gpuSecondsSaved).toBe(0);
  });

  it('prices nothing for a model gone from the catalog', () => {
    const job = JobFactory.create({ status: JobStatus.Queued });
    const { set } = cancelWrite({ job, model: undefined, canceledAt, message: 'canceled' });
    expect(set.cancellation).toMatchObject({ estimatedGpuSeconds: 0, gpuSecondsSaved: 0, usdSaved: 0 });
  });

  it('refuses a final job', () => {
    const job = JobFactory.create({ status: JobStatus.Succeeded });
    expect(() => cancelWrite({ job, model, canceledAt, message: 'canceled' })).toThrow(RangeError);
  });
});

describe(cancelTransition.name, () => {
  it('is the conditional write from the status the job was read in to CANCELED, given the job as read', () => {
    const job = JobFactory.create({ status: JobStatus.Running, version: 4 });
    const input = { job, model, canceledAt, message: 'canceled' };
    expect(cancelTransition(input)).toEqual({
      job,
      from: [JobStatus.Running],
      to: JobStatus.Canceled,
      set: cancelWrite(input).set,
    });
  });
});
