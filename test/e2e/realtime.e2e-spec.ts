import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import sharp from 'sharp';
import request from 'supertest';
import { ulid } from 'ulid';
import { waitFor } from '#libs/testing';
import { RealtimeInvocations } from '../../apps/api/src/jobs/realtime/realtime-invocations.js';
import { startMisbehavingSageMaker, type MisbehavingSageMaker } from '../support/misbehaving-sagemaker.js';
import { CATALOG_MODELS, smallJobFor } from '../support/model-jobs.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface JobBody {
  jobId: string;
  status: string;
  images: Array<{ url: string; width: number; height: number; format: string }>;
  error: { code: string; message: string } | null;
  metadata: {
    timings: { submittedAt: string; invokedAt?: string; inferenceMs?: number; finalizedAt?: string };
    cost: { gpuSeconds: number; usd: number } | null;
  };
  links: Record<string, string>;
}

/** Collects webhook deliveries on 127.0.0.1 (tests allow loopback receivers). */
async function startReceiver(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('real-time mode (SAGEMAKER_MODE=realtime): the api invokes the endpoint and finalizes the job itself', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    // every model on a real-time endpoint, in the stub too; its first call of each job is throttled (the SDK's
    // retry takes the second), and the watchers poll quickly
    stack = await startTestStack({ SAGEMAKER_MODE: 'realtime', STUB_THROTTLE_ATTEMPTS: '1', EVENTS_POLL_MS: '100' });
    // no worker: nothing but the api can finalize a job here
    api = await startApi(stack.env);
    token = await tokenFor(stack.env, `rita-${ulid()}`);
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  const http_ = (app: NestFastifyApplication = api) => request(app.getHttpServer());

  async function poll(jobId: string, app: NestFastifyApplication = api, as = token): Promise<JobBody> {
    return waitFor(
      async () => {
        const response = await http_(app).get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${as}`).expect(200);
        const job = response.body as JobBody;
        return ['QUEUED', 'RUNNING'].includes(job.status) ? undefined : job;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: `job ${jobId} to end` },
    );
  }

  it('lists every model in real-time mode, with what clients need and no endpoint names', async () => {
    const response = await http_().get('/v1/models').set('authorization', `Bearer ${token}`).expect(200);
    const items = (response.body as { items: Array<Record<string, unknown>> }).items;
    expect(items.map((item) => [item.id, item.mode])).toEqual(CATALOG_MODELS.map((m) => [m.modelId, 'realtime']));
    for (const { model } of CATALOG_MODELS) {
      expect(JSON.stringify(response.body)).not.toContain(model.endpointName);
    }
  });

  it.each(CATALOG_MODELS)(
    'runs a $modelId job ($codec codec) to SUCCEEDED, answered 202 and polled as usual',
    async ({ model }) => {
      const body = smallJobFor(model, `a lighthouse in real time (${model.id})`);
      const submitted = await http_().post('/v1/jobs').set('authorization', `Bearer ${token}`).send(body).expect(202);
      expect(submitted.body).toMatchObject({ status: 'QUEUED', submission: 'confirmed' });
      expect(submitted.headers['preference-applied']).toBeUndefined();
      const job = await poll((submitted.body as { jobId: string }).jobId);
      expect(job.status).toBe('SUCCEEDED');
      expect(job.images).toHaveLength(1);
      expect(job.images[0]).toMatchObject({ width: body.width, height: body.height, format: 'png' });
      const bytes = Buffer.from(await (await fetch(job.images[0]!.url)).arrayBuffer());
      expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: body.width, height: body.height });
      expect(job.metadata.timings.invokedAt).toEqual(expect.any(String));
      expect(job.metadata.cost).toEqual({ gpuSeconds: expect.any(Number), usd: expect.any(Number) });
    },
  );

  it('answers 201 with the finished job for Prefer: wait, settling usage, the slot in flight and the webhook', async () => {
    const receiver = await startReceiver();
    // one job in flight at most: the next submission is refused unless the real-time job gave its slot back
    const limited = await startApi(stack.env, { LIMITS_JOBS_IN_FLIGHT: '1' });
    const worker: INestApplicationContext = await startWorker(stack.env);
    const user = await tokenFor(stack.env, `wade-${ulid()}`);
    try {
      const created = await http_(limited)
        .post('/v1/jobs')
        .set('authorization', `Bearer ${user}`)
        .set('prefer', 'wait=20')
        .send({ prompt: 'a red fox', modelId: 'sdxl-turbo', webhookUrl: receiver.url })
        .expect(201);
      const job = created.body as JobBody;
      expect(created.headers['preference-applied']).toBe('wait=20');
      expect(created.headers.location).toBe(`/v1/jobs/${job.jobId}`);
      expect(job).toMatchObject({ status: 'SUCCEEDED', links: { self: `/v1/jobs/${job.jobId}` } });
      expect(job.images).toHaveLength(1);

      const second = await http_(limited)
        .post('/v1/jobs')
        .set('authorization', `Bearer ${user}`)
        .set('prefer', 'wait=20')
        .send({ prompt: 'a grey fox', modelId: 'sdxl-turbo' })
        .expect(201);
      const usage = await http_(limited).get('/v1/usage').set('authorization', `Bearer ${user}`).expect(200);
      const costs = [job, second.body as JobBody].map((j) => j.metadata.cost?.usd ?? NaN);
      expect(usage.body).toMatchObject({ jobs: { total: 2, inFlight: 0, byStatus: { SUCCEEDED: 2 } } });
      expect((usage.body as { usd: number }).usd).toBeCloseTo(costs[0]! + costs[1]!, 6);

      await waitFor(async () => (receiver.bodies.length > 0 ? true : undefined), {
        timeoutMs: 15_000,
        description: 'the completed webhook',
      });
      expect(JSON.parse(receiver.bodies[0]!)).toMatchObject({
        type: 'job.completed',
        data: { jobId: job.jobId, status: 'SUCCEEDED' },
      });
    } finally {
      await worker.close();
      await limited.close();
      await receiver.close();
    }
  });

  it('keeps the images the filter let through, and fails CONTENT_FILTERED when it let none through', async () => {
    const submit = (prompt: string) =>
      http_()
        .post('/v1/jobs')
        .set('authorization', `Bearer ${token}`)
        .set('prefer', 'wait=20')
        .send({ prompt, modelId: 'imggen-sdxl', numImages: 2, width: 512, height: 512 })
        .expect(201);
    const partial = (await submit('two cats in real time [filtered:2]')).body as JobBody & {
      imageOutcomes: unknown;
    };
    expect(partial).toMatchObject({
      status: 'SUCCEEDED',
      error: null,
      imageOutcomes: { ok: 1, filtered: 1, failed: 0, outcomes: ['ok', 'filtered'] },
    });
    expect(partial.images).toHaveLength(1);
    const blocked = (await submit('two cats in real time [filtered]')).body as JobBody & { imageOutcomes: unknown };
    expect(blocked).toMatchObject({
      status: 'FAILED',
      error: { code: 'CONTENT_FILTERED' },
      images: [],
      imageOutcomes: { ok: 0, filtered: 2, failed: 0, outcomes: ['filtered', 'filtered'] },
    });
  });

  it("fails a job whose model errs with MODEL_ERROR and the model's reason, never a 5xx", async () => {
    const created = await http_()
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .set('prefer', 'wait=20')
      .send({ prompt: 'a broken model [fail]', modelId: 'stable-diffusion-2-1', width: 256, height: 256 })
      .expect(201);
    expect(created.body).toMatchObject({
      status: 'FAILED',
      error: { code: 'MODEL_ERROR', message: expect.stringContaining('Simulated model failure') },
    });
  });

  it('fails a job SageMaker keeps throttling with INFERENCE_UNAVAILABLE at no cost, never a 5xx', async () => {
    // one attempt only: the stub's throttled first call is final
    const impatient = await startApi(stack.env, { SAGEMAKER_INVOKE_MAX_ATTEMPTS: '1' });
    try {
      const submitted = await http_(impatient)
        .post('/v1/jobs')
        .set('authorization', `Bearer ${token}`)
        .send({ prompt: 'too many at once', modelId: 'sdxl-turbo' })
        .expect(202);
      const job = await poll((submitted.body as { jobId: string }).jobId, impatient);
      expect(job).toMatchObject({
        status: 'FAILED',
        error: { code: 'INFERENCE_UNAVAILABLE', message: expect.stringContaining('ThrottlingException') },
        metadata: { cost: { gpuSeconds: 0, usd: 0 } },
      });
    } finally {
      await impatient.close();
    }
  });

  describe('an endpoint that never answers', () => {
    let hanging: MisbehavingSageMaker;
    let slow: NestFastifyApplication;

    beforeAll(async () => {
      hanging = await startMisbehavingSageMaker({ kind: 'hang' });
      slow = await startApi(stack.env, {
        AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: hanging.url,
        SAGEMAKER_REALTIME_TIMEOUT_SECONDS: '2',
      });
    });

    afterAll(async () => {
      await slow?.close();
      await hanging?.close();
    });

    it('answers 202 when the wait ends first, then times the job out at the invocation timeout', async () => {
      const started = Date.now();
      const submitted = await http_(slow)
        .post('/v1/jobs')
        .set('authorization', `Bearer ${token}`)
        .set('prefer', 'wait=1')
        .send({ prompt: 'a patient fox', modelId: 'sdxl-turbo' })
        .expect(202);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(submitted.headers['preference-applied']).toBe('wait=1');
      expect(submitted.body).toMatchObject({ status: 'QUEUED' });
      const job = await poll((submitted.body as { jobId: string }).jobId, slow);
      expect(job).toMatchObject({
        status: 'TIMED_OUT',
        error: { code: 'INFERENCE_TIMEOUT', message: 'The real-time endpoint gave no answer within 2 s.' },
      });
      expect(hanging.requests).toBe(1);
    });

    it('keeps a job canceled during its call CANCELED when the call ends', async () => {
      const submitted = await http_(slow)
        .post('/v1/jobs')
        .set('authorization', `Bearer ${token}`)
        .send({ prompt: 'a fox changing its mind', modelId: 'sdxl-turbo' })
        .expect(202);
      const jobId = (submitted.body as { jobId: string }).jobId;
      const canceled = await http_(slow)
        .post(`/v1/jobs/${jobId}/cancel`)
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect(canceled.body).toMatchObject({ status: 'CANCELED' });
      const invocations = slow.get(RealtimeInvocations);
      await waitFor(async () => (invocations.pending === 0 ? true : undefined), {
        timeoutMs: 10_000,
        description: 'the real-time call to end',
      });
      const job = await http_(slow).get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${token}`).expect(200);
      expect(job.body).toMatchObject({ status: 'CANCELED', error: { code: 'CANCELED' } });
    });
  });
});
