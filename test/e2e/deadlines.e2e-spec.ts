import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ulid } from 'ulid';
import {
  createDynamoDbDocumentClient,
  createS3Client,
  JobRepository,
  ObjectNotFoundError,
  ObjectStore,
} from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobStatus, requestKey } from '#libs/contracts';
import { JobFactory, waitFor } from '#libs/testing';
import { subjectFor } from '../../apps/dev-idp/src/idp.js';
import { loadStubConfig } from '../../apps/sagemaker-stub/src/config.js';
import { ManualClock } from '../../apps/sagemaker-stub/src/inference/clock.js';
import { type RunningStub, startStub } from '../../apps/sagemaker-stub/src/server.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface JobBody {
  jobId: string;
  status: string;
  metadata?: { cost: { gpuSeconds: number; usd: number } | null };
  createdAt: string;
  timeoutSeconds?: number;
  deadlineAt?: string;
  expiresAt?: string;
  error: { code: string; message: string } | null;
}

interface Problem {
  type: string;
  errors?: { field: string; message: string }[];
}

/** Quick sweeps, so a deadline of a second is acted on within moments. */
const FAST_REAPER = { WORKER_REAPER_INTERVAL_MS: '100', WORKER_REAPER_GRACE_SECONDS: '0' };

function client(app: NestFastifyApplication, token: string) {
  const http = () => request(app.getHttpServer());
  return {
    submit: (body: object) => http().post('/v1/jobs').set('authorization', `Bearer ${token}`).send(body),
    batch: (body: object) => http().post('/v1/batches').set('authorization', `Bearer ${token}`).send(body),
    get: (jobId: string) => http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${token}`),
    list: () => http().get('/v1/jobs').set('authorization', `Bearer ${token}`),
  };
}

async function untilStatus(
  api: ReturnType<typeof client>,
  jobId: string,
  status: string,
  timeoutMs = 10_000,
): Promise<JobBody> {
  return waitFor(
    async () => {
      const job = (await api.get(jobId).expect(200)).body as JobBody;
      return job.status === status ? job : undefined;
    },
    { timeoutMs, intervalMs: 50, description: `job ${jobId} to be ${status}` },
  );
}

describe('deadlines: a stub that never answers (no instance ever comes into service)', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let strictApi: NestFastifyApplication;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    // scale to zero with a 10-minute cold start: every invocation waits in the queue far past its deadline
    stack = await startTestStack({ STUB_COLD_START_MS: '600000' });
    api = await startApi(stack.env, { JOBS_MIN_TIMEOUT_SECONDS: '1', LIMITS_JOBS_IN_FLIGHT: '1' });
    strictApi = await startApi(stack.env);
    worker = await startWorker(stack.env, FAST_REAPER);
  });

  afterAll(async () => {
    await worker?.close();
    await strictApi?.close();
    await api?.close();
    await stack?.stop();
  });

  it('a job past its timeoutSeconds ends TIMED_OUT, and its slot in flight is freed for the next one', async () => {
    const alice = client(api, await tokenFor(stack.env, `alice-${ulid()}`));
    const submitted = await alice.submit({ prompt: 'a lighthouse at dawn', timeoutSeconds: 1 }).expect(202);
    const { jobId } = submitted.body as JobBody;
    // one job in flight allowed: the second waits for the first to end
    const refused = await alice.submit({ prompt: 'a second lighthouse', timeoutSeconds: 1 });
    expect(refused.status).toBe(429);

    const timedOut = await untilStatus(alice, jobId, 'TIMED_OUT');

    expect(timedOut.error).toMatchObject({ code: 'TIMED_OUT' });
    expect(timedOut.timeoutSeconds).toBe(1);
    expect(Date.parse(timedOut.deadlineAt!) - Date.parse(timedOut.createdAt)).toBe(1000);
    expect(Date.parse(timedOut.expiresAt!) - Date.parse(timedOut.createdAt)).toBeGreaterThanOrEqual(30 * 86_400_000);
    const next = await alice.submit({ prompt: 'a third lighthouse', timeoutSeconds: 1 });
    expect(next.status).toBe(202);
    await untilStatus(alice, (next.body as JobBody).jobId, 'TIMED_OUT');
  });

  it('a job without timeoutSeconds gets the default deadline', async () => {
    const bob = client(strictApi, await tokenFor(stack.env, `bob-${ulid()}`));
    const submitted = await bob.submit({ prompt: 'a quiet harbour' }).expect(202);
    const job = (await bob.get((submitted.body as JobBody).jobId).expect(200)).body as JobBody;
    expect(job.timeoutSeconds).toBe(900);
    expect(Date.parse(job.deadlineAt!) - Date.parse(job.createdAt)).toBe(900_000);
  });

  it('refuses a timeoutSeconds outside the configured range with a 400 naming it, in a batch by its place', async () => {
    const carol = client(strictApi, await tokenFor(stack.env, `carol-${ulid()}`));
    const tooShort = await carol.submit({ prompt: 'a storm', timeoutSeconds: 5 }).expect(400);
    expect((tooShort.body as Problem).errors).toEqual([
      { field: 'timeoutSeconds', message: 'timeoutSeconds must be from 30 to 3600 seconds' },
    ]);
    const notAnInteger = await carol.submit({ prompt: 'a storm', timeoutSeconds: 'soon' }).expect(400);
    expect((notAnInteger.body as Problem).errors?.[0]?.field).toBe('timeoutSeconds');
    const batch = await carol
      .batch({ jobs: [{ prompt: 'a' }, { prompt: 'b', timeoutSeconds: 7200 }], timeoutSeconds: 60 })
      .expect(400);
    expect((batch.body as Problem).errors).toEqual([
      { field: 'jobs[1].timeoutSeconds', message: 'jobs[1].timeoutSeconds must be from 30 to 3600 seconds' },
    ]);
  });

  it('an expired job answers 404 and is left out of listings, and the reaper deletes it with its request', async () => {
    const username = `dave-${ulid()}`;
    const dave = client(api, await tokenFor(stack.env, username));
    const resources = loadResourcesConfig(stack.env);
    const aws = loadAwsConfig(stack.env);
    const objects = new ObjectStore(createS3Client(aws));
    // reads every stored job, expired or not
    const raw = new JobRepository(createDynamoDbDocumentClient(aws), resources.jobsTable, () => 0);
    const jobId = ulid();
    const request = { bucket: resources.requestsBucket, key: requestKey(jobId) };
    await objects.put(request, Buffer.from('{}'), 'application/json');
    await raw.create(
      JobFactory.create({
        jobId,
        ownerId: subjectFor(username),
        status: JobStatus.Succeeded,
        requestLocation: `s3://${request.bucket}/${request.key}`,
        expiresAt: Math.floor(Date.now() / 1000) + 1,
      }),
    );
    await waitFor(async () => ((await dave.get(jobId)).status === 404 ? true : undefined), {
      timeoutMs: 5_000,
      description: 'the job to expire',
    });
    const listing = (await dave.list().expect(200)).body as { items: JobBody[] };
    expect(listing.items.map((job) => job.jobId)).not.toContain(jobId);

    await waitFor(async () => ((await raw.get(jobId)) === undefined ? true : undefined), {
      description: 'the reaper to delete the expired job',
    });
    await expect(objects.get(request)).rejects.toThrow(ObjectNotFoundError);
  });
});

describe('deadlines: a model slower than the job allows (the stub honours InvocationTimeoutSeconds)', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    stack = await startTestStack({ STUB_BASE_INFERENCE_MS: '60000' });
    api = await startApi(stack.env, { JOBS_MIN_TIMEOUT_SECONDS: '1', LIMITS_JOBS_IN_FLIGHT: '1' });
    // a long grace: SageMaker's own timeout notification decides, not the reaper
    worker = await startWorker(stack.env, { WORKER_REAPER_INTERVAL_MS: '100', WORKER_REAPER_GRACE_SECONDS: '600' });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  it("SageMaker's invocation-timeout failure makes the job TIMED_OUT (INFERENCE_TIMEOUT) and frees its slot", async () => {
    const erin = client(api, await tokenFor(stack.env, `erin-${ulid()}`));
    const submitted = await erin.submit({ prompt: 'a slow render', timeoutSeconds: 1 }).expect(202);

    const timedOut = await untilStatus(erin, (submitted.body as JobBody).jobId, 'TIMED_OUT');

    expect(timedOut.error).toMatchObject({ code: 'INFERENCE_TIMEOUT', message: expect.stringMatching(/timed out/) });
    await erin.submit({ prompt: 'the next render', timeoutSeconds: 1 }).expect(202);
  });
});

describe('deadlines: a request SageMaker holds in its queue past RequestTTLSeconds (the stub honours it)', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let stub: RunningStub;
  /** The stub's time: its queue's RequestTTLSeconds pass when the test says so, not a minute later. */
  let clock: ManualClock;

  beforeAll(async () => {
    // scaled to zero with a 10-minute cold start: the request waits in the stub's queue
    stack = await startTestStack({ STUB_COLD_START_MS: '600000' });
    // the same stub on the same port, on a clock the test moves
    await stack.stub.close();
    clock = new ManualClock(Date.now());
    stub = await startStub({ config: loadStubConfig(stack.env), clock });
    api = await startApi(stack.env, { LIMITS_JOBS_IN_FLIGHT: '1' });
    // a long grace: SageMaker's own expiry notification decides, not the reaper
    worker = await startWorker(stack.env, { WORKER_REAPER_INTERVAL_MS: '100', WORKER_REAPER_GRACE_SECONDS: '600' });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stub?.close();
    await stack?.stop();
  });

  it("SageMaker's request-expired failure makes the job TIMED_OUT (QUEUE_TIMEOUT) at no cost and frees its slot", async () => {
    const frank = client(api, await tokenFor(stack.env, `frank-${ulid()}`));
    // 60 s left: RequestTTLSeconds 60, SageMaker's least
    const submitted = await frank.submit({ prompt: 'a render that never starts', timeoutSeconds: 60 }).expect(202);
    const { jobId } = submitted.body as JobBody;
    const jobs = new JobRepository(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).jobsTable,
    );
    const { endpointName } = (await jobs.get(jobId))!;
    const queue = stub.context.endpoints.get(endpointName)!.queue;
    await waitFor(async () => (queue.snapshot().queued === 1 ? true : undefined), {
      description: 'the request in the stub’s queue',
    });
    await frank.submit({ prompt: 'waits for the slot', timeoutSeconds: 60 }).expect(429);

    await clock.advance(60_000);

    const timedOut = await untilStatus(frank, jobId, 'TIMED_OUT');
    expect(timedOut.error).toMatchObject({ code: 'QUEUE_TIMEOUT' });
    expect(timedOut.metadata?.cost).toMatchObject({ gpuSeconds: 0, usd: 0 });
    // well before its deadline: the notification decided, not the reaper
    expect(Date.now()).toBeLessThan(Date.parse(timedOut.deadlineAt!));
    await frank.submit({ prompt: 'the next render', timeoutSeconds: 60 }).expect(202);
  });
});
