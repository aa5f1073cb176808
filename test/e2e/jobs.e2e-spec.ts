import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import sharp from 'sharp';
import request from 'supertest';
import { ulid } from 'ulid';
import { createDynamoDbDocumentClient, createS3Client, createSqsClient, JobRepository, MessageQueue } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobFinalizer } from '#libs/jobs';
import { completedNotification, failedNotification, waitFor } from '#libs/testing';
import { NotificationHandler } from '../../apps/worker/src/notifications/notification.handler.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface JobBody {
  jobId: string;
  status: string;
  imageUrl: string | null;
  images: Array<{ url: string; width: number; height: number; format: string; bytes: number }>;
  error: { code: string; message: string } | null;
  updatedAt: string;
  metadata: { seed: number; inferenceId: string; timings: Record<string, unknown> };
  params: Record<string, unknown>;
  links: Record<string, string>;
}

describe('imggen pipeline (api → SageMaker stub → SNS → SQS → worker)', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    worker = await startWorker(stack.env);
    alice = await tokenFor(stack.env, `alice-${ulid()}`);
    bob = await tokenFor(stack.env, `bob-${ulid()}`);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  const http = () => request(api.getHttpServer());

  async function submit(token: string, body: object): Promise<string> {
    const response = await http().post('/v1/jobs').set('authorization', `Bearer ${token}`).send(body).expect(202);
    return (response.body as { jobId: string }).jobId;
  }

  async function getJob(token: string, jobId: string): Promise<JobBody> {
    const response = await http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${token}`).expect(200);
    return response.body as JobBody;
  }

  async function waitUntilFinal(token: string, jobId: string): Promise<JobBody> {
    return waitFor(
      async () => {
        const job = await getJob(token, jobId);
        return ['SUCCEEDED', 'FAILED'].includes(job.status) ? job : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: `job ${jobId} to finish` },
    );
  }

  it('submits a job, which succeeds with a downloadable PNG of the requested size', async () => {
    const submitted = await http()
      .post('/v1/jobs')
      .set('authorization', `Bearer ${alice}`)
      .send({ prompt: 'a lighthouse at dawn', width: 768, height: 512, seed: 1234 })
      .expect(202);
    const { jobId } = submitted.body as { jobId: string };
    expect(jobId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(submitted.headers.location).toBe(`/v1/jobs/${jobId}`);
    expect(submitted.body).toMatchObject({ status: 'QUEUED', links: { self: `/v1/jobs/${jobId}` } });

    const job = await waitUntilFinal(alice, jobId);

    expect(job.status).toBe('SUCCEEDED');
    expect(job.params).toMatchObject({ prompt: 'a lighthouse at dawn', width: 768, height: 512, seed: 1234 });
    expect(job.metadata).toMatchObject({ seed: 1234, inferenceId: jobId });
    expect(job.metadata.timings).toEqual(
      expect.objectContaining({
        submittedAt: expect.any(String),
        finalizedAt: expect.any(String),
        totalMs: expect.any(Number),
      }),
    );
    expect(job.images).toHaveLength(1);
    expect(job.imageUrl).toBe(job.images[0]!.url);
    const download = await fetch(job.imageUrl!);
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const metadata = await sharp(bytes).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 768, 512]);
    expect(job.images[0]).toMatchObject({ width: 768, height: 512, format: 'png', bytes: bytes.length });
  });

  it('renders several images in the requested format for a model that returns JPEG', async () => {
    const jobId = await submit(alice, {
      prompt: 'two red apples',
      modelId: 'stable-diffusion-2-1',
      numImages: 2,
      outputFormat: 'webp',
      width: 512,
      height: 512,
    });
    const job = await waitUntilFinal(alice, jobId);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.images.map((image) => image.format)).toEqual(['webp', 'webp']);
    const second = Buffer.from(await (await fetch(job.images[1]!.url)).arrayBuffer());
    expect((await sharp(second).metadata()).format).toBe('webp');
  });

  it('marks a job FAILED with the model’s reason when the model fails', async () => {
    const jobId = await submit(alice, { prompt: 'please [fail] now' });
    const job = await waitUntilFinal(alice, jobId);
    expect(job.status).toBe('FAILED');
    expect(job.error?.code).toBe('MODEL_ERROR');
    expect(job.error?.message).toMatch(/^Simulated model failure: .*\[fail\]/);
    expect(job.images).toEqual([]);
    expect(job.imageUrl).toBeNull();
  });

  it('marks a job FAILED as CONTENT_FILTERED when the model’s content filter blocks the image', async () => {
    const jobId = await submit(alice, { prompt: 'something [filtered]', modelId: 'stability-sdxl' });
    const job = await waitUntilFinal(alice, jobId);
    expect(job.status).toBe('FAILED');
    expect(job.error?.code).toBe('CONTENT_FILTERED');
    expect(job.error?.message).toMatch(/content filter/);
    expect(job.images).toEqual([]);
  });

  it('ignores a duplicate success and a late failure for a finished job: finalized once, nothing dead-lettered', async () => {
    const jobId = await submit(alice, { prompt: 'a quiet harbour' });
    const finished = await waitUntilFinal(alice, jobId);
    const aws = loadAwsConfig(stack.env);
    const resources = loadResourcesConfig(stack.env);
    const repository = new JobRepository(createDynamoDbDocumentClient(aws), resources.jobsTable);
    const stored = await repository.get(jobId);
    expect(stored?.timings.finalizedAt).toEqual(expect.any(String));
    const image = { bucket: resources.imagesBucket, key: stored!.images[0]!.key };
    const s3 = createS3Client(aws);
    const imageBefore = await s3.send(new HeadObjectCommand({ Bucket: image.bucket, Key: image.key }));

    // what the worker does with each duplicate: its handler's answer, and whether the finalizer was asked at all
    const handle = jest.spyOn(worker.get(NotificationHandler), 'handle');
    const finalizer = worker.get(JobFinalizer);
    const succeed = jest.spyOn(finalizer, 'succeed');
    const fail = jest.spyOn(finalizer, 'fail');
    try {
      const sns = new SNSClient({ region: aws.region, endpoint: aws.endpoints.sns!, credentials: aws.credentials! });
      await sns.send(
        new PublishCommand({
          TopicArn: resources.successTopicArn,
          Message: JSON.stringify(completedNotification(jobId, stored!.outputLocation!, stored!.endpointName)),
        }),
      );
      await sns.send(
        new PublishCommand({
          TopicArn: resources.errorTopicArn,
          Message: JSON.stringify(failedNotification(jobId, 'ClientError: late failure')),
        }),
      );
      // fauxqs fans out synchronously on Publish; a drained queue means the worker took both and settled them
      const queue = new MessageQueue(createSqsClient(aws), resources.notificationsQueueUrl);
      await waitFor(
        async () => {
          const depth = await queue.depth();
          return handle.mock.calls.length >= 2 && depth.visible + depth.inFlight === 0 ? true : undefined;
        },
        { description: 'the duplicates to be consumed' },
      );

      const results = await Promise.all(handle.mock.results.map((result) => result.value));
      expect(results).toEqual([
        { action: 'delete', outcome: 'already-final' },
        { action: 'delete', outcome: 'already-final' },
      ]);
      expect(succeed).not.toHaveBeenCalled();
      expect(fail).not.toHaveBeenCalled();
    } finally {
      handle.mockRestore();
      succeed.mockRestore();
      fail.mockRestore();
    }
    const deadLetters = new MessageQueue(createSqsClient(aws), resources.deadLetterQueueUrl!);
    await expect(deadLetters.depth()).resolves.toEqual({ visible: 0, inFlight: 0 });
    await expect(repository.get(jobId)).resolves.toEqual(stored);
    const imageAfter = await s3.send(new HeadObjectCommand({ Bucket: image.bucket, Key: image.key }));
    expect(imageAfter.LastModified).toEqual(imageBefore.LastModified);
    const after = await getJob(alice, jobId);
    expect(after.status).toBe('SUCCEEDED');
    expect(after.updatedAt).toBe(finished.updatedAt);
    expect(after.error).toBeNull();
  });

  it('moves a malformed message to the dead-letter queue after the redrive limit and keeps working', async () => {
    const aws = loadAwsConfig(stack.env);
    const resources = loadResourcesConfig(stack.env);
    const sqs = createSqsClient(aws);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: resources.notificationsQueueUrl, MessageBody: '{"not":"a notification"}' }),
    );
    const deadLetters = new MessageQueue(sqs, resources.deadLetterQueueUrl!);
    const dead = await waitFor(async () => (await deadLetters.receive({ maxMessages: 1, waitTimeSeconds: 1 }))[0], {
      timeoutMs: 20_000,
      description: 'the poison message in the DLQ',
    });
    expect(dead.body).toBe('{"not":"a notification"}');
    expect(dead.receiveCount).toBeGreaterThanOrEqual(1);

    const jobId = await submit(alice, { prompt: 'still working' });
    expect((await waitUntilFinal(alice, jobId)).status).toBe('SUCCEEDED');
  });

  it('lists only the caller’s jobs, newest first, with cursor pagination and a status filter', async () => {
    const carol = await tokenFor(stack.env, `carol-${ulid()}`);
    const first = await submit(carol, { prompt: 'one' });
    const second = await submit(carol, { prompt: 'two' });
    const third = await submit(carol, { prompt: 'three [fail]' });
    await submit(bob, { prompt: 'not carol’s' });
    await Promise.all([first, second, third].map((id) => waitUntilFinal(carol, id)));

    const page1 = await http().get('/v1/jobs?limit=2').set('authorization', `Bearer ${carol}`).expect(200);
    const body1 = page1.body as { items: JobBody[]; nextCursor: string | null };
    expect(body1.items.map((job) => job.jobId)).toEqual([third, second]);
    expect(body1.nextCursor).toEqual(expect.any(String));
    const page2 = await http()
      .get(`/v1/jobs?limit=2&cursor=${encodeURIComponent(body1.nextCursor!)}`)
      .set('authorization', `Bearer ${carol}`)
      .expect(200);
    const body2 = page2.body as { items: JobBody[]; nextCursor: string | null };
    expect(body2.items.map((job) => job.jobId)).toEqual([first]);

    const failed = await http().get('/v1/jobs?status=FAILED').set('authorization', `Bearer ${carol}`).expect(200);
    expect((failed.body as { items: JobBody[] }).items.map((job) => job.jobId)).toEqual([third]);
  });

  it('hands out only links that answer 200: in the accepted answer, job views and list items', async () => {
    const dana = await tokenFor(stack.env, `dana-${ulid()}`);
    const accepted = await http()
      .post('/v1/jobs')
      .set('authorization', `Bearer ${dana}`)
      .send({ prompt: 'follow the links' })
      .expect(202);
    const { jobId, links: acceptedLinks } = accepted.body as { jobId: string; links: Record<string, string> };
    const active = await getJob(dana, jobId);
    const failed = await waitUntilFinal(dana, await submit(dana, { prompt: 'links [fail]' }));
    const succeeded = await waitUntilFinal(dana, jobId);
    const page = await http().get('/v1/jobs').set('authorization', `Bearer ${dana}`).expect(200);
    const listed = (page.body as { items: JobBody[] }).items;

    // `cancel` is a POST, and only while the job is active (followed in job-lifecycle.e2e-spec.ts)
    expect(acceptedLinks.cancel).toBe(`/v1/jobs/${jobId}/cancel`);
    expect([failed.links.cancel, succeeded.links.cancel]).toEqual([undefined, undefined]);
    const hrefs = [acceptedLinks, active.links, failed.links, succeeded.links, ...listed.map((job) => job.links)]
      .flatMap((links) => Object.entries(links))
      .flatMap(([rel, href]) => (rel === 'cancel' ? [] : [href]));
    expect(hrefs.length).toBeGreaterThanOrEqual(6);
    for (const href of new Set(hrefs)) {
      const followed = await http().get(href).set('authorization', `Bearer ${dana}`);
      expect([href, followed.status]).toEqual([href, 200]);
    }
  });

  it('answers 404 for another user’s job', async () => {
    const jobId = await submit(bob, { prompt: 'bob’s secret' });
    const response = await http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${alice}`).expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, type: '/problems/not-found', instance: `/v1/jobs/${jobId}` });
  });

  describe('authentication', () => {
    it.each([
      ['no token', undefined],
      ['a malformed token', 'Bearer not-a-jwt'],
      ['a token from another issuer', 'Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJzdWIiOiJ4In0.c2ln'],
      ['a non-Bearer scheme', 'Basic YWxpY2U6c2VjcmV0'],
    ])('answers 401 problem+json for %s', async (_label, authorization) => {
      const call = http().get('/v1/jobs');
      const response = await (authorization ? call.set('authorization', authorization) : call).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 401, type: '/problems/unauthorized', title: 'Unauthorized' });
    });

    it('answers 401 for an expired token', async () => {
      const expired = await tokenFor(stack.env, 'dave', { expiresInSeconds: -60 });
      await http().get('/v1/models').set('authorization', `Bearer ${expired}`).expect(401);
    });

    it('answers 401 for a token issued to another app client', async () => {
      const strict = await startApi(stack.env, { AUTH_CLIENT_ID: 'another-app-client' });
      try {
        await request(strict.getHttpServer()).get('/v1/models').set('authorization', `Bearer ${alice}`).expect(401);
      } finally {
        await strict.close();
      }
    });

    it('keeps health checks and the API docs public', async () => {
      await http().get('/health/live').expect(200);
      const ready = await http().get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: { dynamodb: { status: 'up' }, s3: { status: 'up' } },
      });
      const ui = await http().get('/docs').expect(200);
      expect(ui.headers['content-type']).toMatch(/^text\/html/);
      expect(ui.text).toContain('swagger-ui');
      await http().get('/docs/swagger-ui-bundle.js').expect(200);
      const docs = await http().get('/docs-json').expect(200);
      const paths = Object.keys((docs.body as { paths: object }).paths);
      expect(paths).toEqual(
        expect.arrayContaining(['/v1/jobs', '/v1/jobs/{jobId}', '/v1/models', '/health/live', '/health/ready']),
      );
    });
  });

  it('lists the models with their defaults and limits', async () => {
    const response = await http().get('/v1/models').set('authorization', `Bearer ${alice}`).expect(200);
    const items = (response.body as { items: Array<{ id: string; default: boolean }> }).items;
    expect(items.map((model) => model.id)).toEqual(
      expect.arrayContaining(['stable-diffusion-xl', 'stable-diffusion-2-1', 'stability-sdxl']),
    );
    expect(items.filter((model) => model.default)).toHaveLength(1);
  });
});
