import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type JobTransition } from '#libs/aws';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { JobTimeouts } from './job-timeouts.js';

describe(JobTimeouts.name, () => {
  const now = new Date('2026-11-27T10:00:00.000Z');
  let transition: jest.Mock<(t: JobTransition) => Promise<Job | undefined>>;
  let listener: { jobFinal: jest.Mock<(job: Job) => Promise<void>> };
  let sut: JobTimeouts;
  const logger = { info: jest.fn(), error: jest.fn() };

  beforeEach(() => {
    transition = jest.fn();
    listener = { jobFinal: jest.fn(() => Promise.resolve()) };
    sut = new JobTimeouts({ transition }, [listener], logger, () => Promise.resolve());
  });

  const job = JobFactory.create({
    createdAt: '2026-11-27T09:59:00.000Z',
    timings: { submittedAt: '2026-11-27T09:59:00.000Z' },
    deadlineAt: '2026-11-27T09:59:30.000Z',
    timeoutSeconds: 30,
  });

  it('moves an active job to TIMED_OUT in one conditional write and reports it once', async () => {
    transition.mockImplementation((t) => Promise.resolve({ ...job, status: t.to, ...t.set }));

    const timedOut = await sut.timeOut(job, now);

    expect(transition).toHaveBeenCalledWith({
      job,
      from: [JobStatus.Queued, JobStatus.Running],
      to: JobStatus.TimedOut,
      set: {
        updatedAt: now.toISOString(),
        error: { code: 'TIMED_OUT', message: expect.stringContaining('2026-11-27T09:59:30.000Z') },
        timings: { submittedAt: job.timings.submittedAt, finalizedAt: now.toISOString(), totalMs: 60_000 },
      },
    });
    expect(timedOut?.status).toBe(JobStatus.TimedOut);
    expect(listener.jobFinal).toHaveBeenCalledTimes(1);
    expect(listener.jobFinal).toHaveBeenCalledWith(timedOut!);
  });

  it('reports nothing when the job was already final (another reaper or its notification won)', async () => {
    transition.mockResolvedValue(undefined);

    await expect(sut.timeOut(job, now)).resolves.toBeUndefined();
    expect(listener.jobFinal).not.toHaveBeenCalled();
  });

  it('tries a failed report again, and gives up without throwing', async () => {
    transition.mockResolvedValue({ ...job, status: JobStatus.TimedOut });
    listener.jobFinal.mockRejectedValueOnce(new Error('throttled'));

    await sut.timeOut(job, now);
    expect(listener.jobFinal).toHaveBeenCalledTimes(2);

    listener.jobFinal.mockReset();
    listener.jobFinal.mockRejectedValue(new Error('down'));
    await expect(sut.timeOut(job, now)).resolves.toMatchObject({ status: JobStatus.TimedOut });
    expect(listener.jobFinal).toHaveBeenCalledTimes(3);
  });
});
