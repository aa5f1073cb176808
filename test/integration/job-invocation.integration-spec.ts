import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import { createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { type Job, JobStatus, JobSubmission } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { startTestStack, type TestStack } from '../support/test-stack.js';

describe('JobRepository.recordInvocation (dynalite)', () => {
  let stack: TestStack;
  let repository: JobRepository;

  beforeAll(async () => {
    stack = await startTestStack();
    repository = new JobRepository(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).jobsTable,
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function newJob(overrides: Partial<Job> = {}): Promise<Job> {
    const job = JobFactory.create({
      ownerId: `owner-${ulid()}`,
      outputLocation: undefined,
      failureLocation: undefined,
      ...overrides,
    });
    await repository.create(job);
    // as stored: the repository numbers every write
    return { ...job, version: 1 };
  }

  it('records a confirmed invocation without changing the status or the other timings', async () => {
    const job = await newJob({ timings: { submittedAt: '2026-01-01T00:00:00.000Z', queueMs: 5 } });
    const at = '2026-01-01T00:00:01.000Z';

    const recorded = await repository.recordInvocation(job, {
      submission: JobSubmission.Confirmed,
      at,
      outputLocation: 's3://outputs/async-out/a.out',
      failureLocation: 's3://outputs/async-failures/a-error.out',
    });

    const expected = {
      ...job,
      version: 2,
      status: JobStatus.Queued,
      updatedAt: at,
      submission: 'confirmed',
      outputLocation: 's3://outputs/async-out/a.out',
      failureLocation: 's3://outputs/async-failures/a-error.out',
      timings: { submittedAt: '2026-01-01T00:00:00.000Z', queueMs: 5, invokedAt: at },
    };
    expect(recorded).toEqual(expected);
    await expect(repository.get(job.jobId)).resolves.toEqual(expected);
  });

  it('records an unconfirmed invocation: the job stays QUEUED with no output location or invokedAt', async () => {
    const job = await newJob();
    const at = '2026-01-01T00:00:02.000Z';

    await repository.recordInvocation(job, { submission: JobSubmission.Unconfirmed, at });

    const stored = await repository.get(job.jobId);
    expect(stored).toEqual({ ...job, version: 2, updatedAt: at, submission: 'unconfirmed' });
    expect(stored?.outputLocation).toBeUndefined();
    expect(stored?.timings.invokedAt).toBeUndefined();
  });

  it('records it on a RUNNING job too', async () => {
    const job = await newJob({ status: JobStatus.Running });
    const recorded = await repository.recordInvocation(job, {
      submission: JobSubmission.Confirmed,
      at: '2026-01-01T00:00:03.000Z',
      outputLocation: 's3://outputs/async-out/b.out',
    });
    expect(recorded).toMatchObject({ status: JobStatus.Running, submission: 'confirmed' });
  });

  it.each([JobStatus.Succeeded, JobStatus.Failed, JobStatus.Canceled, JobStatus.TimedOut])(
    'writes nothing once the job is %s (its notification came first)',
    async (status) => {
      const job = await newJob({ status });
      const recorded = await repository.recordInvocation(job, {
        submission: JobSubmission.Confirmed,
        at: '2026-01-01T00:00:04.000Z',
        outputLocation: 's3://outputs/async-out/c.out',
      });
      expect(recorded).toBeUndefined();
      await expect(repository.get(job.jobId)).resolves.toEqual(job);
    },
  );

  it('does not create a job that does not exist', async () => {
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await expect(
      repository.recordInvocation(job, { submission: JobSubmission.Unconfirmed, at: '2026-01-01T00:00:05.000Z' }),
    ).resolves.toBeUndefined();
    await expect(repository.get(job.jobId)).resolves.toBeUndefined();
  });

  it('answers with the job as stored when another write came first (the model already started it)', async () => {
    const job = await newJob();
    const started = await repository.markStarted(job, { startedAt: '2026-01-01T00:00:06.000Z' });
    expect(started?.version).toBe(2);

    // the caller still holds the job as it created it
    const recorded = await repository.recordInvocation(job, {
      submission: JobSubmission.Confirmed,
      at: '2026-01-01T00:00:07.000Z',
      outputLocation: 's3://outputs/async-out/d.out',
    });

    expect(recorded).toMatchObject({
      status: JobStatus.Running,
      version: 3,
      submission: 'confirmed',
      timings: { startedAt: '2026-01-01T00:00:06.000Z', invokedAt: '2026-01-01T00:00:07.000Z' },
    });
    await expect(repository.get(job.jobId)).resolves.toEqual(recorded);
  });
});
