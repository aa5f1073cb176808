import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { createDynamoDbDocumentClient } from '#libs/aws';
import { InvalidCursorError, JobRepository } from '#libs/aws';

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
    await expect(repository.get(job.jobId)).resolves.toEqual(job);
    await expect(repository.create(job)).rejects.toThrow();
    await expect(repository.get(ulid())).resolves.toBeUndefined();
  });

  it('transitions only from the allowed states, so a second finalization changes nothing', async () => {
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await repository.create(job);

    const succeeded = await repository.transition({
      jobId: job.jobId,
      ownerId: job.ownerId,
      from: [JobStatus.Queued, JobStatus.Running],
      to: JobStatus.Succeeded,
      set: { updatedAt: '2026-01-01T00:00:00.000Z' },
    });
    const late = await repository.transition({
      jobId: job.jobId,
      ownerId: job.ownerId,
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

  it('does not create a job by transitioning a missing one', async () => {
    const jobId = ulid();
    const result = await repository.transition({ jobId, ownerId: 'x', from: [JobStatus.Queued], to: JobStatus.Failed });
    expect(result).toBeUndefined();
    await expect(repository.get(jobId)).resolves.toBeUndefined();
  });

  it('lists an owner’s jobs newest first, page by page, and filters by status', async () => {
    const ownerId = `owner-${ulid()}`;
    const created = [];
    for (let i = 0; i < 5; i++) {
      const job = JobFactory.create({ ownerId, jobId: ulid() });
      await repository.create(job);
      created.push(job);
    }
    await repository.create(JobFactory.create({ ownerId: `someone-else-${ulid()}` }));
    await repository.transition({
      jobId: created[1]!.jobId,
      ownerId,
      from: [JobStatus.Queued],
      to: JobStatus.Succeeded,
    });

    const first = await repository.listByOwner(ownerId, { limit: 2 });
    const second = await repository.listByOwner(ownerId, { limit: 2, cursor: first.nextCursor! });
    const third = await repository.listByOwner(ownerId, { limit: 2, cursor: second.nextCursor! });
    const ids = [...first.jobs, ...second.jobs, ...third.jobs].map((job) => job.jobId);
    expect(ids).toEqual(created.map((job) => job.jobId).reverse());

    const succeeded = await repository.listByOwner(ownerId, { limit: 10, status: JobStatus.Succeeded });
    expect(succeeded.jobs.map((job) => job.jobId)).toEqual([created[1]!.jobId]);
    expect(succeeded.nextCursor).toBeUndefined();

    await expect(
      repository.listByOwner(`intruder-${ulid()}`, { limit: 2, cursor: first.nextCursor! }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(repository.listByOwner(ownerId, { limit: 2, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('answers the readiness probe', async () => {
    await expect(repository.ping()).resolves.toBeUndefined();
  });
});
