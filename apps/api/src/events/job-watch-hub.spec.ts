import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Job } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { JobWatchHub } from './job-watch-hub.js';

describe('JobWatchHub', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reads a watched job once per interval however many streams watch it, and stops when the last leaves', async () => {
    const job = JobFactory.create();
    const get = jest.fn<(jobId: string) => Promise<Job | undefined>>().mockResolvedValue(job);
    const hub = new JobWatchHub({ get }, 100);
    const seen: Array<Job | undefined> = [];
    const stopOne = hub.watch(job.jobId, (current) => seen.push(current));
    const stopTwo = hub.watch(job.jobId, (current) => seen.push(current));
    await jest.advanceTimersByTimeAsync(100);
    expect(get).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([job, job]);
    await jest.advanceTimersByTimeAsync(100);
    expect(get).toHaveBeenCalledTimes(2);
    stopOne();
    stopTwo();
    expect(hub.size).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('keeps polling after a failed read', async () => {
    const job = JobFactory.create();
    const get = jest
      .fn<(jobId: string) => Promise<Job | undefined>>()
      .mockRejectedValueOnce(new Error('DynamoDB is unavailable'))
      .mockResolvedValue(job);
    const errors: unknown[] = [];
    const hub = new JobWatchHub({ get }, 100, (error) => errors.push(error));
    const seen: Array<Job | undefined> = [];
    const stop = hub.watch(job.jobId, (current) => seen.push(current));
    await jest.advanceTimersByTimeAsync(200);
    expect(errors).toHaveLength(1);
    expect(seen).toEqual([job]);
    stop();
  });
});
