import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { JobWatchHub } from '../../events/job-watch-hub.js';
import { SubmissionWait } from './submission-wait.js';

describe(SubmissionWait.name, () => {
  let get: jest.Mock<(jobId: string) => Promise<Job | undefined>>;
  let hub: JobWatchHub;
  let sut: SubmissionWait;
  const queued = JobFactory.create({ status: JobStatus.Queued });
  const succeeded = { ...queued, status: JobStatus.Succeeded };

  beforeEach(() => {
    jest.useFakeTimers();
    get = jest.fn<(jobId: string) => Promise<Job | undefined>>().mockResolvedValue(queued);
    hub = new JobWatchHub({ get }, 100);
    sut = new SubmissionWait(hub, { wait: { maxSeconds: 25 } });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it.each<[string | undefined, number, number | undefined]>([
    ['wait=10', 25, 10],
    ['wait=100', 25, 25],
    ['wait=0', 25, undefined],
    [undefined, 25, undefined],
    ['respond-async', 25, undefined],
    ['wait=10', 0, undefined],
  ])('waits for Prefer %j, at most %i s: %j', (prefer, maxSeconds, seconds) => {
    expect(new SubmissionWait(hub, { wait: { maxSeconds } }).seconds(prefer)).toBe(seconds);
  });

  it('answers the job once a poll finds it final, and stops watching', async () => {
    get.mockResolvedValueOnce(queued).mockResolvedValue(succeeded);
    const waiting = sut.untilFinal(queued.jobId, 10);
    await jest.advanceTimersByTimeAsync(200);
    await expect(waiting).resolves.toEqual(succeeded);
    expect(hub.size).toBe(0);
  });

  it('answers at once when this instance announces the final job', async () => {
    const waiting = sut.untilFinal(queued.jobId, 10);
    hub.announce(succeeded);
    await expect(waiting).resolves.toEqual(succeeded);
    expect(get).not.toHaveBeenCalled();
  });

  it('gives up after the seconds asked for', async () => {
    const waiting = sut.untilFinal(queued.jobId, 2);
    await jest.advanceTimersByTimeAsync(1900);
    expect(get).toHaveBeenCalled();
    let result: Job | undefined | 'pending' = 'pending';
    void waiting.then((job) => (result = job));
    await jest.advanceTimersByTimeAsync(50);
    expect(result).toBe('pending');
    await jest.advanceTimersByTimeAsync(100);
    expect(result).toBeUndefined();
    expect(hub.size).toBe(0);
  });

  it('gives up when the client goes away, or the api shuts down', async () => {
    const connection = new EventEmitter();
    const leaving = sut.untilFinal(queued.jobId, 10, connection);
    connection.emit('close');
    await expect(leaving).resolves.toBeUndefined();
    expect(connection.listenerCount('close')).toBe(0);

    const held = sut.untilFinal(queued.jobId, 10);
    sut.beforeApplicationShutdown();
    await expect(held).resolves.toBeUndefined();
    expect(hub.size).toBe(0);
  });
});
