import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { type PinoLogger } from 'nestjs-pino';
import sharp from 'sharp';
import { ulid } from 'ulid';
import {
  createDynamoDbDocumentClient,
  createS3Client,
  createSqsClient,
  DeletedJobs,
  JobRepository,
  MessageQueue,
  ObjectStore,
  type QueueMessage,
} from '#libs/aws';
import { type Env, loadAwsConfig, loadResourcesConfig, type ResourcesConfig } from '#libs/config';
import { type Job, JobStatus } from '#libs/contracts';
import { JobFinalizer } from '#libs/jobs';
import { ModelCatalog } from '#libs/models';
import { completedNotification, JobFactory, snsEnvelope, waitFor } from '#libs/testing';
import { startWorker } from '../../../../test/support/platform.js';
import { startTestStack, type TestStack } from '../../../../test/support/test-stack.js';
import { startToggleProxy, type ToggleProxy } from '../../../../test/support/toggle-proxy.js';
import { CanceledResults } from '../cancellation/canceled-results.js';
import { loadWorkerConfig } from '../config/worker.config.js';
import { NotificationHandler } from './notification.handler.js';

const quietLogger = (): PinoLogger =>
  ({ setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() }) as unknown as PinoLogger;

/** Resolves once `parties` callers are waiting: lets racing handlers all read the job before either writes. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    if (++arrived === parties) {
      open();
    }
    await opened;
  };
}

describe('NotificationHandler against dynalite and fauxqs', () => {
  // 6 receives before the DLQ (1, 2, 4, 8, 16 s apart): room for a few seconds of outage
  const MAX_RECEIVE_COUNT = '6';
  let stack: TestStack;
  let resources: ResourcesConfig;
  let jobs: JobRepository;
  let objects: ObjectStore;

  beforeAll(async () => {
    stack = await startTestStack({ WORKER_MAX_RECEIVE_COUNT: MAX_RECEIVE_COUNT });
    const aws = loadAwsConfig(stack.env);
    resources = loadResourcesConfig(stack.env);
    jobs = new JobRepository(createDynamoDbDocumentClient(aws), resources.jobsTable);
    objects = new ObjectStore(createS3Client(aws));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A QUEUED job whose SDXL output is already in the outputs bucket, and its success notification. */
  async function jobWithOutput(): Promise<{ job: Job; body: string }> {
    const jobId = ulid();
    const outputLocation = `s3://${resources.outputsBucket}/async-out/${jobId}.out`;
    const job = JobFactory.create({ jobId, inferenceId: jobId, ownerId: `owner-${ulid()}`, outputLocation });
    await jobs.create(job);
    const png = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#204060' } })
      .png()
      .toBuffer();
    await objects.putJson(
      { bucket: resources.outputsBucket, key: `async-out/${jobId}.out` },
      { generated_image: png.toString('base64') },
    );
    return { job, body: snsEnvelope(completedNotification(jobId, outputLocation)) };
  }

  it('one notification delivered twice concurrently: one finalizes, the other finds the job final', async () => {
    const { job, body } = await jobWithOutput();
    const bothRead = barrier(2);
    const config = loadWorkerConfig(stack.env);
    const handlers = [1, 2].map(() => {
      // each handler has its own finalizer, as two worker tasks would; both read QUEUED before either writes
      const repository = new JobRepository(createDynamoDbDocumentClient(config.aws), resources.jobsTable);
      const get = repository.get.bind(repository);
      jest.spyOn(repository, 'get').mockImplementation(async (jobId) => {
        const found = await get(jobId);
        await bothRead();
        return found;
      });
      const finalizer = new JobFinalizer(
        repository,
        objects,
        ModelCatalog.builtIn(),
        resources.imagesBucket,
        { info: jest.fn(), warn: jest.fn() },
        [],
      );
      const canceled = new CanceledResults(repository, objects, ModelCatalog.builtIn(), quietLogger(), [], config);
      const deleted = new DeletedJobs(createDynamoDbDocumentClient(config.aws), resources.jobsTable);
      return new NotificationHandler(repository, objects, finalizer, quietLogger(), config, canceled, deleted);
    });
    const delivery = (n: number): QueueMessage => ({
      messageId: `m-${n}`,
      receiptHandle: `r-${n}`,
      body,
      receiveCount: 1,
    });

    const results = await Promise.all(handlers.map((handler, n) => handler.handle(delivery(n))));

    expect(results).toEqual(
      expect.arrayContaining([
        { action: 'delete', outcome: 'succeeded' },
        { action: 'delete', outcome: 'already-final' },
      ]),
    );
    const final = await jobs.get(job.jobId);
    expect(final).toMatchObject({
      status: JobStatus.Succeeded,
      images: [{ key: `images/${job.ownerId}/${job.jobId}/0.png`, width: 1024, height: 1024, format: 'png' }],
    });
    expect(final?.error).toBeUndefined();
    expect(final?.timings.finalizedAt).toEqual(expect.any(String));
  });

  describe('a DynamoDB outage while the notification waits', () => {
    let proxy: ToggleProxy;
    let worker: INestApplicationContext | undefined;

    beforeAll(async () => {
      proxy = await startToggleProxy(stack.env.AWS_ENDPOINT_URL_DYNAMODB!);
    });

    afterAll(async () => {
      await worker?.close();
      await proxy?.close();
    });

    it('is retried with backoff until DynamoDB is back; the job succeeds and nothing reaches the DLQ', async () => {
      const { job, body } = await jobWithOutput();
      const overrides: Env = { AWS_ENDPOINT_URL_DYNAMODB: proxy.url, AWS_REQUEST_TIMEOUT_MS: '1000' };
      worker = await startWorker(stack.env, overrides);
      const handle = jest.spyOn(worker.get(NotificationHandler), 'handle');
      proxy.setDown(true);

      const sqs = createSqsClient(loadAwsConfig(stack.env));
      await sqs.send(new SendMessageCommand({ QueueUrl: resources.notificationsQueueUrl, MessageBody: body }));
      // two receives fail (then 1 s and 2 s of backoff), then the outage ends
      await waitFor(() => (handle.mock.calls.length >= 2 ? true : undefined), {
        timeoutMs: 15_000,
        description: 'two failed attempts',
      });
      expect(await handle.mock.results[0]!.value).toMatchObject({ action: 'retry' });
      expect(proxy.refused()).toBeGreaterThan(0);
      proxy.setDown(false);

      const final = await waitFor(
        async () => {
          const current = await jobs.get(job.jobId);
          return current?.status === JobStatus.Succeeded ? current : undefined;
        },
        { timeoutMs: 20_000, description: 'the job to succeed after the outage' },
      );
      expect(final.images).toHaveLength(1);
      const receives = handle.mock.calls.map(([message]) => message.receiveCount);
      expect(receives[0]).toBe(1);
      expect(receives.at(-1)).toBeGreaterThanOrEqual(2);
      const deadLetters = new MessageQueue(sqs, resources.deadLetterQueueUrl!);
      await expect(deadLetters.depth()).resolves.toEqual({ visible: 0, inFlight: 0 });
    });
  });
});
