import { describe, expect, it } from '@jest/globals';
import { JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { progressOf } from './eta.js';

const T0 = Date.parse('2026-11-26T12:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const warm = { currentInstances: 1, desiredInstances: 1, concurrencyPerInstance: 2 };

describe('progressOf', () => {
  const base = { now: T0 + 1000, inferenceMs: 3000, coldStartMs: 60_000 };

  it('is done on every final state, with all steps on a success', () => {
    expect(progressOf(JobFactory.create({ status: JobStatus.Succeeded }), base)).toEqual({
      phase: 'done',
      step: 30,
      totalSteps: 30,
    });
    for (const status of [JobStatus.Failed, JobStatus.Canceled, JobStatus.TimedOut]) {
      expect(progressOf(JobFactory.create({ status }), base)).toEqual({ phase: 'done' });
    }
  });

  it('waits for capacity while the endpoint has no instance, counting what is left of the cold start', () => {
    const job = JobFactory.create({ timings: { submittedAt: at(0), invokedAt: at(0) } });
    const progress = progressOf(job, {
      ...base,
      now: T0 + 20_000,
      capacity: { ...warm, currentInstances: 0 },
      position: 0,
    });
    // 40 s of cold start left, then one inference
    expect(progress).toEqual({
      phase: 'waiting_for_capacity',
      position: 0,
      estimatedCompletionAt: at(20_000 + 40_000 + 3000),
    });
  });

  it('is queued behind its position, the jobs ahead running instances x concurrency at a time', () => {
    const job = JobFactory.create();
    // 5 ahead on 2 slots: two full rounds ahead, then its own round
    expect(progressOf(job, { ...base, capacity: warm, position: 5 })).toEqual({
      phase: 'queued',
      position: 5,
      estimatedCompletionAt: at(1000 + 3 * 3000),
    });
    expect(progressOf(job, { ...base, capacity: { ...warm, currentInstances: 3 }, position: 5 })).toMatchObject({
      estimatedCompletionAt: at(1000 + 1 * 3000),
    });
  });

  it('is queued without a position or capacity when they could not be read', () => {
    expect(progressOf(JobFactory.create(), base)).toEqual({ phase: 'queued', estimatedCompletionAt: at(1000 + 3000) });
  });

  it('runs at the pace of the reported steps, else for one average inference from its start', () => {
    const running = JobFactory.create({ status: JobStatus.Running, timings: { submittedAt: at(0), startedAt: at(0) } });
    expect(progressOf(running, base)).toEqual({
      phase: 'running',
      startedAt: at(0),
      totalSteps: 30,
      estimatedCompletionAt: at(3000),
    });
    // 10 of 30 steps in 1 s: 3 s in all
    const stepped = { ...running, steps: { step: 10, totalSteps: 30 } };
    expect(progressOf(stepped, { ...base, inferenceMs: 99_000 })).toMatchObject({
      step: 10,
      totalSteps: 30,
      estimatedCompletionAt: at(3000),
    });
  });

  it('never predicts a running job done in the past', () => {
    const late = JobFactory.create({ status: JobStatus.Running, timings: { submittedAt: at(0), startedAt: at(0) } });
    expect(progressOf(late, { ...base, now: T0 + 10_000 })).toMatchObject({ estimatedCompletionAt: at(10_000) });
  });
});
