import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { ulid } from 'ulid';
import {
  createDynamoDbDocumentClient,
  createS3Client,
  createSqsClient,
  JobRepository,
  MessageQueue,
  ObjectStore,
  type QueueMessage,
  tryParseS3Uri,
} from '#libs/aws';
import { type AwsConfig, loadAwsConfig, loadResourcesConfig, type ResourcesConfig } from '#libs/config';
import { isCancellationFailure, type Job, JobStatus, parseSageMakerNotification } from '#libs/contracts';
import { completedNotification, JobFactory, waitFor } from '#libs/testing';
import { type HandleResult, NotificationHandler } from '../../apps/worker/src/notifications/notification.handler.js';
import { modelStarted } from '../support/model-started.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface JobBody {
  jobId: string;
  status: string;
  updatedAt: string;
  error: { code: string; message: string } | null;
  images: unknown[];
  metadata: {
    cost: { gpuSeconds: number; usd: number } | null;
    cancellation: {
      from: string;
      estimatedGpuSeconds: number;
      gpuSecondsSaved: number;
      usdSaved: number;
    } | null;
  };
  links: Record<string, string>;
}

/** 30 steps of about 315 ms: an SDXL 1024x1024 job takes about 9.4 s unless it is canceled. */
const SLOW_STUB = { STUB_MS_PER_STEP_MEGAPIXEL: '300', STUB_CANCEL_CHECK_INTERVAL_MS: '50' };
/** A job that renders in a few milliseconds on the same stub. */
const QUICK_JOB = { prompt: 'a small quick sketch', width: 512, height: 512, steps: 5 };

describe('cancel and delete (api → stub → worker)', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let aws: AwsConfig;
  let resources: ResourcesConfig;
  let jobs: JobRepository;
  let objects: ObjectStore;
  let queue: MessageQueue;
  let deadLetters: MessageQueue;

  beforeAll(async () => {
    stack = await startTestStack(SLOW_STUB);
    api = await startApi(stack.env);
    worker = await startWorker(stack.env);
    aws = loadAwsConfig(stack.env);
    resources = loadResourcesConfig(stack.env);
    jobs = new JobRepository(createDynamoDbDocumentClient(aws), resources.jobsTable);
    objects = new ObjectStore(createS3Client(aws));
    queue = new MessageQueue(createSqsClient(aws), resources.notificationsQueueUrl);
    deadLetters = new MessageQueue(createSqsClient(aws), resources.deadLetterQueueUrl!);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  const http = (app: NestFastifyApplication = api) => request(app.getHttpServer());
  const user = (name: string) => tokenFor(stack.env, `${name}-${ulid()}`);

  async function submit(token: string, body: object, app = api): Promise<string> {
    const response = await http(app).post('/v1/jobs').set('authorization', `Bearer ${token}`).send(body).expect(202);
    return (response.body as { jobId: string }).jobId;
  }

  async function getJob(token: string, jobId: string): Promise<JobBody> {
    return (await http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${token}`).expect(200)).body as JobBody;
  }

  function waitForStatus(token: string, jobId: string, statuses: string[]): Promise<JobBody> {
    return waitFor(
      async () => {
        const job = await getJob(token, jobId);
        return statuses.includes(job.status) ? job : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: `job ${jobId} to be ${statuses.join(' or ')}` },
    );
  }

  /** Resolves when the worker has handled the notifications naming `id` and the queue is empty; their results. */
  async function handledFor(
    handle: { mock: { calls: Array<[QueueMessage]>; results: Array<{ value: unknown }> } },
    id: string,
  ): Promise<HandleResult[]> {
    const mine = () => handle.mock.calls.flatMap(([message], index) => (message.body.includes(id) ? [index] : []));
    await waitFor(
      async () => {
        const depth = await queue.depth();
        return mine().length > 0 && depth.visible + depth.inFlight === 0 ? true : undefined;
      },
      { timeoutMs: 20_000, description: `the notification of ${id} handled` },
    );
    return Promise.all(mine().map((index) => handle.mock.results[index]!.value as Promise<HandleResult>));
  }

  /** What the progress relay does when the model reports it started (issue 7, point 1): RUNNING with startedAt. */
  async function markRunning(jobId: string): Promise<void> {
    const job = (await jobs.get(jobId))!;
    await jobs.transition({
      job,
      from: [JobStatus.Queued],
      to: JobStatus.Running,
      set: { timings: { ...job.timings, startedAt: new Date().toISOString() } },
    });
  }

  function locationsOf(job: Job): Array<{ bucket: string; key: string }> {
    return [job.requestLocation, job.outputLocation, job.failureLocation].flatMap((uri) => {
      const location = uri ? tryParseS3Uri(uri) : undefined;
      return location ? [location] : [];
    });
  }

  it('cancels a RUNNING job: the model stops early, nothing of it is kept, it is charged what it used and its slot is free', async () => {
    const oneInFlight = await startApi(stack.env, { LIMITS_JOBS_IN_FLIGHT: '1' });
    const handle = jest.spyOn(worker.get(NotificationHandler), 'handle');
    try {
      const alice = await user('alice');
      const started = modelStarted();
      const jobId = await submit(alice, { prompt: 'a very slow cathedral' }, oneInFlight);
      await started;
      await markRunning(jobId);
      const running = await getJob(alice, jobId);
      expect(running.status).toBe('RUNNING');
      expect(running.links.cancel).toBe(`/v1/jobs/${jobId}/cancel`);
      // the slot is taken: a second job waits for it
      await http(oneInFlight).post('/v1/jobs').set('authorization', `Bearer ${alice}`).send(QUICK_JOB).expect(429);

      const canceled = await http(oneInFlight)
        .post(running.links.cancel!)
        .set('authorization', `Bearer ${alice}`)
        .expect(200);
      const body = canceled.body as JobBody;
      expect(body).toMatchObject({ jobId, status: 'CANCELED', error: { code: 'CANCELED' }, images: [] });
      expect(body.links).toEqual({ self: `/v1/jobs/${jobId}` });
      expect(body.metadata.cancellation).toMatchObject({ from: 'RUNNING' });
      expect(body.metadata.cancellation!.gpuSecondsSaved).toBeGreaterThan(0);
      expect(body.metadata.cost!.gpuSeconds).toBeLessThan(body.metadata.cancellation!.estimatedGpuSeconds);
      expect(body.metadata.cost!.gpuSeconds + body.metadata.cancellation!.gpuSecondsSaved).toBeCloseTo(
        body.metadata.cancellation!.estimatedGpuSeconds,
        2,
      );

      // settled at once, before any notification comes: its hold is gone, it is charged the GPU time it used
      const usage = (await http().get('/v1/usage').set('authorization', `Bearer ${alice}`).expect(200)).body as {
        jobs: { inFlight: number; byStatus: { CANCELED: number } };
        gpuSeconds: number;
      };
      expect(usage.jobs).toMatchObject({ inFlight: 0, byStatus: { CANCELED: 1 } });
      expect(usage.gpuSeconds).toBeCloseTo(body.metadata.cost!.gpuSeconds, 3);

      // its slot in flight is free again at once: the cancel reported it final (before any notification came)
      await http(oneInFlight).post('/v1/jobs').set('authorization', `Bearer ${alice}`).send(QUICK_JOB).expect(202);

      // the stub stopped at its next step, before its 30 steps were done, and wrote no output
      await stack.stub.idle();
      const results = await handledFor(handle, jobId);
      expect(results).toEqual([{ action: 'delete', outcome: 'discarded' }]);
      const delivered = handle.mock.calls.find(([message]) => message.body.includes(jobId))!;
      const notification = parseSageMakerNotification(delivered[0].body);
      expect(notification).toMatchObject({ inferenceId: jobId, invocationStatus: 'Failed' });
      expect(isCancellationFailure(notification.failureReason)).toBe(true);
      const stoppedAfter = Number(/after (\d+) of 30 steps/.exec(notification.failureReason!)?.[1]);
      expect(stoppedAfter).toBeGreaterThanOrEqual(1);
      expect(stoppedAfter).toBeLessThan(30);
      const stored = (await jobs.get(jobId))!;
      expect(stored.outputLocation).toEqual(expect.any(String));
      // no output, and the failure object the stub wrote is discarded
      for (const location of locationsOf(stored).slice(1)) {
        await expect(objects.exists(location)).resolves.toBe(false);
      }
      await expect(objects.listKeys(resources.imagesBucket, `images/${stored.ownerId}/${jobId}/`)).resolves.toEqual([]);
      await expect(deadLetters.depth()).resolves.toEqual({ visible: 0, inFlight: 0 });
      // the discarded failure recorded nothing
      expect(await getJob(alice, jobId)).toEqual(body);
    } finally {
      handle.mockRestore();
      await oneInFlight.close();
    }
  });

  it('charges nothing for a job canceled while QUEUED, answers a repeated cancel with the job, and 409 for a final job', async () => {
    const bob = await user('bob');
    // a job SageMaker holds in its queue: written as the api writes it, never picked up (a submitted one would be
    // picked up at once by the stub, whose "started" makes it RUNNING within milliseconds)
    const queued = JobFactory.create({ ownerId: decodeJwt(bob).sub!, status: JobStatus.Queued });
    await jobs.create(queued);
    const jobId = queued.jobId;
    const first = await http().post(`/v1/jobs/${jobId}/cancel`).set('authorization', `Bearer ${bob}`).expect(200);
    expect((first.body as JobBody).metadata).toMatchObject({
      cost: { gpuSeconds: 0, usd: 0 },
      cancellation: { from: 'QUEUED' },
    });
    const again = await http().post(`/v1/jobs/${jobId}/cancel`).set('authorization', `Bearer ${bob}`).expect(200);
    expect(again.body).toEqual(first.body);

    // a success that still arrives for it (the model finished before it saw the marker) is discarded
    const output = { bucket: resources.outputsBucket, key: `async-out/${ulid()}.out` };
    await objects.putJson(output, { generated_image: 'too late' });
    const handle = jest.spyOn(worker.get(NotificationHandler), 'handle');
    try {
      const sns = new SNSClient({ region: aws.region, endpoint: aws.endpoints.sns!, credentials: aws.credentials! });
      await sns.send(
        new PublishCommand({
          TopicArn: resources.successTopicArn,
          Message: JSON.stringify(completedNotification(jobId, `s3://${output.bucket}/${output.key}`)),
        }),
      );
      // the output's key is in that notification only
      expect(await handledFor(handle, output.key)).toEqual([{ action: 'delete', outcome: 'discarded' }]);
    } finally {
      handle.mockRestore();
    }
    await expect(objects.exists(output)).resolves.toBe(false);
    expect(await getJob(bob, jobId)).toEqual(first.body);

    const done = await submit(bob, QUICK_JOB);
    await waitForStatus(bob, done, ['SUCCEEDED']);
    expect((await getJob(bob, done)).links.cancel).toBeUndefined();
    const refused = await http().post(`/v1/jobs/${done}/cancel`).set('authorization', `Bearer ${bob}`).expect(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: '/problems/job-not-cancelable',
      status: 409,
      jobId: done,
      jobStatus: 'SUCCEEDED',
      instance: `/v1/jobs/${done}/cancel`,
    });
    expect((await getJob(bob, done)).status).toBe('SUCCEEDED');
  });

  it('answers 404 for another user’s job, which an administrator may cancel', async () => {
    const carol = await user('carol');
    const mallory = await user('mallory');
    const admin = await tokenFor(stack.env, `admin-${ulid()}`, { admin: true });
    const jobId = await submit(carol, { prompt: 'carol’s' });
    await http().post(`/v1/jobs/${jobId}/cancel`).set('authorization', `Bearer ${mallory}`).expect(404);
    await http().delete(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${mallory}`).expect(404);
    await http().post(`/v1/jobs/${ulid()}/cancel`).set('authorization', `Bearer ${carol}`).expect(404);
    const canceled = await http().post(`/v1/jobs/${jobId}/cancel`).set('authorization', `Bearer ${admin}`).expect(200);
    expect(canceled.body).toMatchObject({
      status: 'CANCELED',
      error: { message: 'The job was canceled by an administrator.' },
    });
  });

  it('deletes a job with its request, output and images (204, then 404); its usage stays booked', async () => {
    const dana = await user('dana');
    const jobId = await submit(dana, { ...QUICK_JOB, modelId: 'stable-diffusion-2-1', numImages: 2 });
    await waitForStatus(dana, jobId, ['SUCCEEDED']);
    const stored = (await jobs.get(jobId))!;
    const imagePrefix = `images/${stored.ownerId}/${jobId}/`;
    expect(await objects.listKeys(resources.imagesBucket, imagePrefix)).toHaveLength(2);
    for (const location of locationsOf(stored).slice(0, 2)) {
      await expect(objects.exists(location)).resolves.toBe(true);
    }
    const usageBefore = (await http().get('/v1/usage').set('authorization', `Bearer ${dana}`).expect(200)).body;

    await http().delete(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${dana}`).expect(204);

    await http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${dana}`).expect(404);
    await http().delete(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${dana}`).expect(404);
    await http().post(`/v1/jobs/${jobId}/cancel`).set('authorization', `Bearer ${dana}`).expect(404);
    const listed = await http().get('/v1/jobs').set('authorization', `Bearer ${dana}`).expect(200);
    expect((listed.body as { items: unknown[] }).items).toEqual([]);
    await expect(objects.listKeys(resources.imagesBucket, imagePrefix)).resolves.toEqual([]);
    for (const location of locationsOf(stored)) {
      await expect(objects.exists(location)).resolves.toBe(false);
    }
    const usageAfter = (await http().get('/v1/usage').set('authorization', `Bearer ${dana}`).expect(200)).body;
    expect(usageAfter).toEqual(usageBefore);
    expect((usageAfter as { jobs: { byStatus: { SUCCEEDED: number } } }).jobs.byStatus.SUCCEEDED).toBe(1);
  });

  it('drops a late success for a deleted job quietly: its output deleted, not retried, not dead-lettered', async () => {
    const erin = await user('erin');
    const jobId = await submit(erin, QUICK_JOB);
    await waitForStatus(erin, jobId, ['SUCCEEDED']);
    const stored = (await jobs.get(jobId))!;
    await http().delete(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${erin}`).expect(204);
    // SageMaker delivers the same success again, its output still there
    const output = tryParseS3Uri(stored.outputLocation!)!;
    await objects.putJson(output, { generated_image: 'late' });
    const handle = jest.spyOn(worker.get(NotificationHandler), 'handle');
    try {
      const sns = new SNSClient({ region: aws.region, endpoint: aws.endpoints.sns!, credentials: aws.credentials! });
      await sns.send(
        new PublishCommand({
          TopicArn: resources.successTopicArn,
          Message: JSON.stringify(completedNotification(jobId, stored.outputLocation!, stored.endpointName)),
        }),
      );
      expect(await handledFor(handle, jobId)).toEqual([{ action: 'delete', outcome: 'discarded' }]);
    } finally {
      handle.mockRestore();
    }
    await expect(objects.exists(output)).resolves.toBe(false);
    await expect(deadLetters.depth()).resolves.toEqual({ visible: 0, inFlight: 0 });
    await http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${erin}`).expect(404);
  });

  it('deletes an active job by canceling it first; the model’s cancellation failure that follows is dropped', async () => {
    const frank = await user('frank');
    const handle = jest.spyOn(worker.get(NotificationHandler), 'handle');
    try {
      const started = modelStarted();
      const jobId = await submit(frank, { prompt: 'deleted while it renders' });
      await started;
      const stored = (await jobs.get(jobId))!;
      await http().delete(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${frank}`).expect(204);
      await http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${frank}`).expect(404);

      await stack.stub.idle();
      expect(await handledFor(handle, jobId)).toEqual([{ action: 'delete', outcome: 'discarded' }]);
      for (const location of locationsOf(stored)) {
        await expect(objects.exists(location)).resolves.toBe(false);
      }
      await expect(objects.listKeys(resources.requestsBucket, `cancel/${jobId}`)).resolves.toEqual([]);
      await expect(deadLetters.depth()).resolves.toEqual({ visible: 0, inFlight: 0 });
      // the cancel settled its slot and hold: nothing of frank's is in flight
      const usage = (await http().get('/v1/usage').set('authorization', `Bearer ${frank}`).expect(200)).body as {
        jobs: { byStatus: { CANCELED: number }; inFlight?: number };
      };
      expect(usage.jobs.byStatus.CANCELED).toBe(1);
    } finally {
      handle.mockRestore();
    }
  });
});
