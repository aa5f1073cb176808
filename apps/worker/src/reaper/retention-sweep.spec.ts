import { describe, expect, it, jest } from '@jest/globals';
import { JOB_INDEX_SHARDS, type S3Location } from '#libs/aws';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { RetentionSweep } from './retention-sweep.js';

describe(RetentionSweep.name, () => {
  const nowMs = Date.parse('2026-12-27T00:00:00.000Z');

  function setup(expired: Job[]) {
    const steps: string[] = [];
    const lifecycle = {
      expired: jest.fn((shard: string, _before: number, _limit: number) =>
        Promise.resolve(shard === '0' ? expired : []),
      ),
      deleteExpired: jest.fn((jobId: string, _nowSeconds: number) => {
        steps.push(`row ${jobId}`);
        return Promise.resolve(true);
      }),
    };
    const objects = {
      deleteMany: jest.fn((locations: readonly S3Location[]) => {
        steps.push(...locations.map((location) => `s3://${location.bucket}/${location.key}`));
        return Promise.resolve();
      }),
    };
    const timeouts = { timeOut: jest.fn((job: Job) => Promise.resolve({ ...job, status: JobStatus.TimedOut })) };
    const sut = new RetentionSweep(lifecycle, objects, timeouts, 'images', { batchSize: 2 });
    return { sut, lifecycle, objects, timeouts, steps };
  }

  it('deletes the request, the outputs and the images, then the row, of every expired job in every shard', async () => {
    const job = JobFactory.create({
      jobId: '01JDEADLINE00000000000000A',
      status: JobStatus.Succeeded,
      requestLocation: 's3://requests/requests/01JDEADLINE00000000000000A.json',
      outputLocation: 's3://outputs/async-out/x.out',
      failureLocation: 's3://outputs/async-failures/x-error.out',
      images: [{ key: 'images/user-1/01JDEADLINE00000000000000A/0.png', width: 1, height: 1, format: 'png', bytes: 1 }],
    });
    const { sut, lifecycle, timeouts, steps } = setup([job]);

    await expect(sut.sweep(nowMs)).resolves.toEqual({ done: 1, more: false });

    expect(lifecycle.expired).toHaveBeenCalledTimes(JOB_INDEX_SHARDS);
    expect(lifecycle.expired).toHaveBeenCalledWith('0', nowMs / 1000 + 1, 2);
    expect(steps).toEqual([
      's3://requests/requests/01JDEADLINE00000000000000A.json',
      's3://outputs/async-out/x.out',
      's3://outputs/async-failures/x-error.out',
      's3://images/images/user-1/01JDEADLINE00000000000000A/0.png',
      'row 01JDEADLINE00000000000000A',
    ]);
    expect(lifecycle.deleteExpired).toHaveBeenCalledWith(job.jobId, nowMs / 1000);
    expect(timeouts.timeOut).not.toHaveBeenCalled();
  });

  it('times out a job still active when it expires before deleting it, and asks for more after a full page', async () => {
    const active = [JobFactory.create(), JobFactory.create({ status: JobStatus.Running })];
    const { sut, timeouts } = setup(active);

    await expect(sut.sweep(nowMs)).resolves.toEqual({ done: 2, more: true });
    expect(timeouts.timeOut).toHaveBeenCalledTimes(2);
  });
});
