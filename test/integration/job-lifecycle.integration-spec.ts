import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ulid } from 'ulid';
import {
  createDynamoDbDocumentClient,
  createS3Client,
  JOB_INDEX_SHARD_KEYS,
  JobLifecycleRepository,
  JobRepository,
  ObjectNotFoundError,
  ObjectStore,
} from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig, type ResourcesConfig } from '#libs/config';
import { type Job, JobStatus, requestKey } from '#libs/contracts';
import { type JobFinalListener, SettledMarker } from '#libs/jobs';
import { JobFactory } from '#libs/testing';
import { DeadlineSweep } from '../../apps/worker/src/reaper/deadline-sweep.js';
import { JobTimeouts } from '../../apps/worker/src/reaper/job-timeouts.js';
import { RetentionSweep } from '../../apps/worker/src/reaper/retention-sweep.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const silent = { info: () => undefined, error: () => undefined };

/** Every active job of every shard whose deadline is before `before`. */
async function allOverdue(lifecycle: JobLifecycleRepository, before: string): Promise<Job[]> {
  const pages = await Promise.all(JOB_INDEX_SHARD_KEYS.map((shard) => lifecycle.overdue(shard, before, 100)));
  return pages.flat();
}

describe('job lifecycle indexes and the reaper (dynalite, fauxqs)', () => {
  let stack: TestStack;
  let resources: ResourcesConfig;
  let jobs: JobRepository;
  let lifecycle: JobLifecycleRepository;
  let objects: ObjectStore;

  beforeAll(async () => {
    stack = await startTestStack();
    const aws = loadAwsConfig(stack.env);
    resources = loadResourcesConfig(stack.env);
    const client = createDynamoDbDocumentClient(aws);
    jobs = new JobRepository(client, resources.jobsTable);
    lifecycle = new JobLifecycleRepository(client, resources.jobsTable);
    objects = new ObjectStore(createS3Client(aws));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A job created `ageSeconds` ago with this timeout and retention, owned by `ownerId`. */
  function jobAged(ownerId: string, ageSeconds: number, timeoutSeconds: number, overrides: Partial<Job> = {}): Job {
    const created = Date.now() - ageSeconds * 1000;
    const createdAt = new Date(created).toISOString();
    return JobFactory.create({
      ownerId,
      createdAt,
      updatedAt: createdAt,
      timings: { submittedAt: createdAt },
      timeoutSeconds,
      deadlineAt: new Date(created + timeoutSeconds * 1000).toISOString(),
      expiresAt: Math.ceil(created / 1000) + 30 * 86_400,
      ...overrides,
    });
  }

  it('the deadline index returns the unsettled jobs past their deadline; a final job leaves it once reported', async () => {
    const owner = `owner-${ulid()}`;
    const overdueQueued = jobAged(owner, 120, 60);
    const overdueRunning = jobAged(owner, 120, 60, { status: JobStatus.Running });
    const notYetDue = jobAged(owner, 10, 600);
    const finalOverdue = jobAged(owner, 120, 60, { status: JobStatus.Succeeded });
    const finalizedLater = jobAged(owner, 120, 60);
    for (const job of [overdueQueued, overdueRunning, notYetDue, finalOverdue, finalizedLater]) {
      await jobs.create(job);
    }
    await jobs.transition({
      job: finalizedLater,
      from: [JobStatus.Queued],
      to: JobStatus.Failed,
      set: { updatedAt: new Date().toISOString() },
    });

    // the job made final stays listed, unsettled, until its final state has been reported
    const unsettled = (await allOverdue(lifecycle, new Date().toISOString())).filter((job) => job.ownerId === owner);
    expect(unsettled.map((job) => job.jobId).sort()).toEqual(
      [overdueQueued.jobId, overdueRunning.jobId, finalizedLater.jobId].sort(),
    );
    await jobs.markSettled(finalizedLater.jobId);
    // marking an active job does nothing: only a final job can be settled
    await jobs.markSettled(overdueQueued.jobId);
    const mine = (await allOverdue(lifecycle, new Date().toISOString())).filter((job) => job.ownerId === owner);
    expect(mine.map((job) => job.jobId).sort()).toEqual([overdueQueued.jobId, overdueRunning.jobId].sort());
    // the index keys stay out of the job as read
    expect(mine[0]).not.toHaveProperty('activeShard');
    expect(mine[0]).not.toHaveProperty('expiryShard');

    // a job moving to another active state (a recorded invocation) stays in the index
    await jobs.recordInvocation(overdueQueued, { submission: 'unconfirmed', at: new Date().toISOString() });
    const still = (await allOverdue(lifecycle, new Date().toISOString())).map((job) => job.jobId);
    expect(still).toContain(overdueQueued.jobId);
  });

  it('two reapers at once: every overdue job is timed out exactly once and reported exactly once', async () => {
    const owner = `owner-${ulid()}`;
    const overdue = Array.from({ length: 12 }, (_, index) =>
      jobAged(owner, 120, 60, index % 3 === 0 ? { status: JobStatus.Running } : {}),
    );
    for (const job of overdue) {
      await jobs.create(job);
    }
    const reported: string[] = [];
    const listener: JobFinalListener = {
      jobFinal: (job) => {
        reported.push(job.jobId);
        return Promise.resolve();
      },
    };
    const transition = jest.spyOn(jobs, 'transition');
    const reaper = (): DeadlineSweep =>
      new DeadlineSweep(lifecycle, jobs, new JobTimeouts(jobs, [listener, new SettledMarker(jobs)], silent), {
        batchSize: 100,
        graceMs: 0,
      });

    const now = Date.now();
    const [first, second] = await Promise.all([reaper().sweep(now), reaper().sweep(now)]);

    const ids = overdue.map((job) => job.jobId).sort();
    // every job reported; a second reaper may report a job again while the first is between its write and its
    // report's end (listeners take a repeated report as one)
    const mineReported = reported.filter((jobId) => ids.includes(jobId));
    expect([...new Set(mineReported)].sort()).toEqual(ids);
    expect(first.done + second.done).toBeGreaterThanOrEqual(ids.length);
    const wins = (await Promise.all(transition.mock.results.map((result) => result.value as Promise<Job | undefined>)))
      .filter((job): job is Job => job?.ownerId === owner)
      .map((job) => job.jobId);
    expect(wins.sort()).toEqual(ids);
    transition.mockRestore();

    const stored = await jobs.getMany(ids);
    expect(stored.map((job) => job.status)).toEqual(ids.map(() => JobStatus.TimedOut));
    expect(stored[0]?.error).toMatchObject({ code: 'TIMED_OUT' });
    expect(stored[0]?.timings.finalizedAt).toBeDefined();
    const left = (await allOverdue(lifecycle, new Date().toISOString())).filter((job) => job.ownerId === owner);
    expect(left).toEqual([]);
  });

  it('a final job whose report a crash cut short is reported by the next sweep, then leaves the index', async () => {
    const owner = `owner-${ulid()}`;
    const job = jobAged(owner, 120, 60);
    await jobs.create(job);
    // the worker's final write, then the process dies before reporting it
    await jobs.transition({ job, from: [JobStatus.Queued], to: JobStatus.Failed });
    const reported: string[] = [];
    const listener: JobFinalListener = {
      jobFinal: async (final) => void reported.push(`${final.jobId}:${final.status}`),
    };
    const sweep = new DeadlineSweep(
      lifecycle,
      jobs,
      new JobTimeouts(jobs, [listener, new SettledMarker(jobs)], silent),
      {
        batchSize: 100,
        graceMs: 0,
      },
    );

    await sweep.sweep(Date.now());
    expect(reported).toEqual([`${job.jobId}:FAILED`]);
    await expect(jobs.get(job.jobId)).resolves.toMatchObject({ status: JobStatus.Failed });
    // settled now: the next sweep leaves it alone
    await sweep.sweep(Date.now());
    expect(reported).toEqual([`${job.jobId}:FAILED`]);
    const left = (await allOverdue(lifecycle, new Date().toISOString())).filter((listed) => listed.ownerId === owner);
    expect(left).toEqual([]);
  });

  it('an expired job reads as gone (get, listings) and the retention sweep deletes it with its objects', async () => {
    const owner = `owner-${ulid()}`;
    const expired = jobAged(owner, 31 * 86_400, 900, {
      status: JobStatus.Succeeded,
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    const activeExpired = jobAged(owner, 31 * 86_400, 900, { expiresAt: Math.floor(Date.now() / 1000) - 60 });
    const kept = jobAged(owner, 60, 900, { status: JobStatus.Succeeded });
    const imageKey = `images/${owner}/${expired.jobId}/0.png`;
    const withObjects: Job = {
      ...expired,
      requestLocation: `s3://${resources.requestsBucket}/${requestKey(expired.jobId)}`,
      outputLocation: `s3://${resources.outputsBucket}/async-out/${expired.jobId}.out`,
      images: [{ key: imageKey, width: 8, height: 8, format: 'png', bytes: 3 }],
    };
    const locations = [
      { bucket: resources.requestsBucket, key: requestKey(expired.jobId) },
      { bucket: resources.outputsBucket, key: `async-out/${expired.jobId}.out` },
      { bucket: resources.imagesBucket, key: imageKey },
    ];
    for (const location of locations) {
      await objects.put(location, Buffer.from('abc'), 'application/octet-stream');
    }
    for (const job of [withObjects, activeExpired, kept]) {
      await jobs.create(job);
    }

    await expect(jobs.get(expired.jobId)).resolves.toBeUndefined();
    const keptAsStored = { ...kept, version: 1 };
    await expect(jobs.getMany([expired.jobId, kept.jobId])).resolves.toEqual([keptAsStored]);
    await expect(jobs.listByOwner(owner, { limit: 10 })).resolves.toEqual({ jobs: [keptAsStored], hasMore: false });
    await expect(jobs.listByOwner(owner, { limit: 10, status: JobStatus.Queued })).resolves.toEqual({
      jobs: [],
      hasMore: false,
    });

    const reported: Job[] = [];
    const timeouts = new JobTimeouts(jobs, [{ jobFinal: (job) => Promise.resolve(void reported.push(job)) }], silent);
    const sweep = new RetentionSweep(lifecycle, objects, timeouts, resources.imagesBucket, { batchSize: 100 });
    const result = await sweep.sweep(Date.now());
    expect(result.done).toBeGreaterThanOrEqual(2);

    for (const location of locations) {
      await expect(objects.get(location)).rejects.toThrow(ObjectNotFoundError);
    }
    // the rows are gone, not merely hidden; the job still within its retention stays
    const stillStored = await Promise.all(
      [expired.jobId, activeExpired.jobId].map((jobId) => lifecycle.deleteExpired(jobId, Date.now() / 1000)),
    );
    expect(stillStored).toEqual([false, false]);
    await expect(jobs.get(kept.jobId)).resolves.toEqual(keptAsStored);
    // the job that expired while active was settled before it went
    expect(reported.map((job) => [job.jobId, job.status])).toEqual([[activeExpired.jobId, JobStatus.TimedOut]]);
  });
});
