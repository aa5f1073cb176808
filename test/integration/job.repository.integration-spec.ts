import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { monotonicFactory, ulid } from 'ulid';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { createDynamoDbDocumentClient, type JobPage, JobRepository } from '#libs/aws';

describe('JobRepository (dynalite)', () => {
  let repository: JobRepository;

  let stack: TestStack;

  afterAll(async () => {
    await stack?.stop();
  });

  beforeAll(async () => {
    stack = await startTestStack();
    const aws = loadAwsConfig(stack.env);
    repository = new JobRepository(createDynamoDbDocumentClient(aws), loadResourcesConfig(stack.env).jobsTable);
  });

  it('creates a job once and reads it back', async () => {
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await repository.create(job);
    await expect(repository.get(job.jobId)).resolves.toEqual({ ...job, version: 1 });
    await expect(repository.create(job)).rejects.toThrow();
    await expect(repository.get(ulid())).resolves.toBeUndefined();
  });

  it('transitions only from the allowed states, so a second finalization changes nothing', async () => {
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await repository.create(job);

    const succeeded = await repository.transition({
      job: job,
      from: [JobStatus.Queued, JobStatus.Running],
      to: JobStatus.Succeeded,
      set: { updatedAt: '2026-01-01T00:00:00.000Z' },
    });
    const late = await repository.transition({
      job: job,
      from: [JobStatus.Queued, JobStatus.Running],
      to: JobStatus.Failed,
      set: { error: { code: 'MODEL_ERROR', message: 'late' } },
    });

    expect(succeeded?.status).toBe(JobStatus.Succeeded);
    expect(late).toBeUndefined();
    const stored = await repository.get(job.jobId);
    expect(stored?.status).toBe(JobStatus.Succeeded);
    expect(stored?.error).toBeUndefined();
  });

  describe('given the job as the caller read it (the write then returns only what it wrote)', () => {
    const succeed = (job: Job) =>
      repository.transition({
        job,
        from: [JobStatus.Queued, JobStatus.Running],
        to: JobStatus.Succeeded,
        set: {
          images: [{ key: `images/${job.ownerId}/${job.jobId}/0.png`, bytes: 3, format: 'png', width: 64, height: 64 }],
          timings: { ...job.timings, finalizedAt: '2026-01-01T00:00:09.000Z' },
          cost: { gpuSeconds: 2, usd: 0.001 },
          error: undefined,
        },
      });

    it('answers with the job exactly as stored when nothing wrote in between', async () => {
      const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
      await repository.create(job);
      const started = await repository.markStarted(
        { ...job, version: 1 },
        { startedAt: '2026-01-01T00:00:06.000Z', steps: { step: 1, totalSteps: 30 } },
      );
      await expect(repository.get(job.jobId)).resolves.toEqual(started);

      const succeeded = await succeed(started!);

      expect(succeeded).toMatchObject({ status: JobStatus.Succeeded, version: 3 });
      await expect(repository.get(job.jobId)).resolves.toEqual(succeeded);
    });

    it('reads the job when another write came first, and answers with it as stored', async () => {
      const job = JobFactory.create({ ownerId: `owner-${ulid()}`, status: JobStatus.Running });
      await repository.create(job);
      // a step the caller has not seen
      await repository.recordStep(job.jobId, { step: 12, totalSteps: 30 });

      const succeeded = await succeed({ ...job, version: 1 });

      expect(succeeded).toMatchObject({ status: JobStatus.Succeeded, version: 3, steps: { step: 12 } });
      await expect(repository.get(job.jobId)).resolves.toEqual(succeeded);
    });
  });

  it('does not create a job by transitioning a missing one', async () => {
    const job = JobFactory.create({ ownerId: 'x' });
    const result = await repository.transition({ job, from: [JobStatus.Queued], to: JobStatus.Failed });
    expect(result).toBeUndefined();
    await expect(repository.get(job.jobId)).resolves.toBeUndefined();
  });

  describe('listByOwner', () => {
    // ids in creation order even within one millisecond, so "newest first" is well defined
    const nextId = monotonicFactory();

    async function createJobs(ownerId: string, statuses: JobStatus[], overrides: Partial<Job> = {}): Promise<Job[]> {
      const jobs = [];
      for (const status of statuses) {
        const job = JobFactory.create({ ownerId, jobId: nextId(), status, ...overrides });
        await repository.create(job);
        // as stored: a new job is at version 1
        jobs.push({ ...job, version: 1 });
      }
      return jobs;
    }

    /** Every page of a listing, resuming after each page's last job while more follow. */
    async function listAll(ownerId: string, options: { limit: number; status?: JobStatus }): Promise<JobPage[]> {
      const pages: JobPage[] = [];
      let after: string | undefined;
      do {
        const page = await repository.listByOwner(ownerId, { ...options, after });
        pages.push(page);
        after = page.jobs.at(-1)?.jobId;
      } while (pages.at(-1)!.hasMore && pages.length < 50);
      return pages;
    }

    const { Succeeded: S, Failed: F, Queued: Q } = JobStatus;
    const ownerId = `owner-${ulid()}`;
    let newestFirst: Job[];

    beforeAll(async () => {
      const mine: Job[] = [];
      // another owner's jobs interleaved with these, in both indexes
      for (const status of [S, F, S, Q, S, F, S, F]) {
        mine.push(...(await createJobs(ownerId, [status])));
        await createJobs(`someone-else-${ulid()}`, [status]);
      }
      await createJobs(`${ownerId}x`, [S, F, Q]);
      newestFirst = mine.reverse();
    });

    it.each<[string, JobStatus | undefined, number, number[]]>([
      ['all, limit 3', undefined, 3, [3, 3, 2]],
      ['all, limit 4 (an exact multiple)', undefined, 4, [4, 4]],
      ['all, limit 8 (exactly one page)', undefined, 8, [8]],
      ['all, limit 1', undefined, 1, [1, 1, 1, 1, 1, 1, 1, 1]],
      ['all, limit 100', undefined, 100, [8]],
      ['SUCCEEDED, limit 2 (an exact multiple)', S, 2, [2, 2]],
      ['SUCCEEDED, limit 3', S, 3, [3, 1]],
      ['FAILED, limit 1 (an exact multiple)', F, 1, [1, 1, 1]],
      ['FAILED, limit 2', F, 2, [2, 1]],
      ['QUEUED, limit 1 (exactly one page)', Q, 1, [1]],
      ['RUNNING (none)', JobStatus.Running, 2, [0]],
    ])('pages through %s to the end, each job once, newest first', async (_label, status, limit, sizes) => {
      const pages = await listAll(ownerId, { limit, ...(status ? { status } : {}) });

      expect(pages.map((page) => page.jobs.length)).toEqual(sizes);
      expect(pages.map((page) => page.hasMore)).toEqual(sizes.map((_size, index) => index < sizes.length - 1));
      const expected = newestFirst.filter((job) => !status || job.status === status);
      expect(pages.flatMap((page) => page.jobs)).toEqual(expected);
    });

    it('resumes a status listing after a job that has since left that status', async () => {
      const owner = `owner-${ulid()}`;
      const [oldest, middle, newest] = await createJobs(owner, [Q, Q, Q]);
      const first = await repository.listByOwner(owner, { limit: 1, status: Q });
      expect(first).toEqual({ jobs: [newest], hasMore: true });
      await repository.transition({ job: newest!, from: [Q], to: JobStatus.Running });

      const rest = await repository.listByOwner(owner, { limit: 5, status: Q, after: newest!.jobId });
      expect(rest).toEqual({ jobs: [middle, oldest], hasMore: false });
    });

    it('keeps reading past the 1 MB a DynamoDB query returns at most', async () => {
      const owner = `owner-${ulid()}`;
      // ~100 KB each: one query returns about ten of them
      const big = JobFactory.create().params;
      const created = await createJobs(
        owner,
        Array.from({ length: 12 }, () => S),
        {
          params: { ...big, prompt: 'x'.repeat(100_000) },
        },
      );
      const newest = created.reverse().map((job) => job.jobId);

      const byEleven = await listAll(owner, { limit: 11 });
      expect(byEleven.map((page) => [page.jobs.length, page.hasMore])).toEqual([
        [11, true],
        [1, false],
      ]);
      expect(byEleven.flatMap((page) => page.jobs.map((job) => job.jobId))).toEqual(newest);
      const whole = await repository.listByOwner(owner, { limit: 12, status: S });
      expect([whole.jobs.length, whole.hasMore]).toEqual([12, false]);
    });
  });

  it('answers the readiness probe', async () => {
    await expect(repository.ping()).resolves.toBeUndefined();
  });
});
