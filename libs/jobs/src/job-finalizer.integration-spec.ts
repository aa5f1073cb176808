import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import sharp from 'sharp';
import { ulid } from 'ulid';
import { createDynamoDbDocumentClient, createS3Client, JobRepository, ObjectStore } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobStatus } from '#libs/contracts';
import { ModelCatalog } from '#libs/models';
import { JobFactory } from '#libs/testing';
import { startTestStack, type TestStack } from '../../../test/support/test-stack.js';
import { JobFinalizer } from './job-finalizer.js';

/** The guard against double finalization is the repository's conditional write: exercised here on dynalite. */
describe('JobFinalizer (dynalite + fauxqs S3)', () => {
  let stack: TestStack;
  let jobs: JobRepository;
  let objects: ObjectStore;
  let imagesBucket: string;
  const logger = { info: jest.fn(), warn: jest.fn() };

  beforeAll(async () => {
    stack = await startTestStack();
    const aws = loadAwsConfig(stack.env);
    const resources = loadResourcesConfig(stack.env);
    jobs = new JobRepository(createDynamoDbDocumentClient(aws), resources.jobsTable);
    objects = new ObjectStore(createS3Client(aws));
    imagesBucket = resources.imagesBucket;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const finalizer = (): JobFinalizer =>
    new JobFinalizer(jobs, objects, ModelCatalog.builtIn(), imagesBucket, logger, []);

  async function sdxlOutput(): Promise<{ body: Buffer }> {
    const png = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    return { body: Buffer.from(JSON.stringify({ generated_image: png.toString('base64') })) };
  }

  it('a second finalize of a final job changes nothing, whichever way it goes', async () => {
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await jobs.create(job);

    await expect(finalizer().succeed(job, await sdxlOutput(), {})).resolves.toBe('succeeded');
    const final = await jobs.get(job.jobId);
    expect(final?.status).toBe(JobStatus.Succeeded);

    // the same (stale) job snapshot, as a duplicate or late notification would bring it
    await expect(finalizer().fail(job, { code: 'MODEL_ERROR', message: 'late failure' }, {})).resolves.toBe(
      'already-final',
    );
    await expect(finalizer().succeed(job, await sdxlOutput(), {})).resolves.toBe('already-final');
    await expect(jobs.get(job.jobId)).resolves.toEqual(final);
  });

  it('tells the repository’s observer of the final write once, however often the job is finalized', async () => {
    const finalized: string[] = [];
    const observed = new JobRepository(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).jobsTable,
      Date.now,
      { finalized: (written) => finalized.push(`${written.jobId}:${written.status}`) },
    );
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await observed.create(job);
    const finalizerOf = () => new JobFinalizer(observed, objects, ModelCatalog.builtIn(), imagesBucket, logger, []);
    // a duplicated notification, raced, then a late failure
    await Promise.all([
      finalizerOf().succeed(job, await sdxlOutput(), {}),
      finalizerOf().succeed(job, await sdxlOutput(), {}),
    ]);
    await finalizerOf().fail(job, { code: 'MODEL_ERROR', message: 'late failure' }, {});
    expect(finalized).toEqual([`${job.jobId}:SUCCEEDED`]);
  });

  it('a failed job stays failed when a success arrives later', async () => {
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await jobs.create(job);
    await expect(finalizer().fail(job, { code: 'MODEL_ERROR', message: 'boom' }, {})).resolves.toBe('failed');
    const final = await jobs.get(job.jobId);

    await expect(finalizer().succeed(job, await sdxlOutput(), {})).resolves.toBe('already-final');
    await expect(jobs.get(job.jobId)).resolves.toEqual(final);
    expect(final).toMatchObject({ status: JobStatus.Failed, error: { code: 'MODEL_ERROR', message: 'boom' } });
  });
});
