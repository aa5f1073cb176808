import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ulid } from 'ulid';
import { BUILT_IN_MODELS } from '#libs/models';
import { loadStubConfig } from '../../apps/sagemaker-stub/src/config.js';
import { buildStub } from '../../apps/sagemaker-stub/src/server.js';
import { CATALOG_MODELS, smallJobFor } from '../support/model-jobs.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface JobBody {
  jobId: string;
  status: string;
  images: Array<{ url: string; width: number; height: number; format: string }>;
  error: { code: string } | null;
}

/**
 * `Prefer: wait` with async models, two api instances and the worker: the instance holding the request never
 * finalizes the job itself (the worker does, from SageMaker's notification), so it learns of it from DynamoDB.
 */
describe('Prefer: wait on POST /v1/jobs (async models, two api instances, the worker finalizing)', () => {
  let stack: TestStack;
  let apiA: NestFastifyApplication;
  let apiB: NestFastifyApplication;
  let worker: INestApplicationContext | undefined;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ EVENTS_POLL_MS: '100' });
    apiA = await startApi(stack.env);
    // B holds a request at most 2 s, whatever it asks for
    apiB = await startApi(stack.env, { JOBS_MAX_WAIT_SECONDS: '2' });
    token = await tokenFor(stack.env, `paula-${ulid()}`);
  });

  afterAll(async () => {
    await worker?.close();
    await apiB?.close();
    await apiA?.close();
    await stack?.stop();
  });

  const on = (app: NestFastifyApplication) => request(app.getHttpServer());
  const submit = (app: NestFastifyApplication, body: object, prefer?: string, key?: string) => {
    let call = on(app).post('/v1/jobs').set('authorization', `Bearer ${token}`);
    if (prefer !== undefined) {
      call = call.set('prefer', prefer);
    }
    if (key !== undefined) {
      call = call.set('idempotency-key', key);
    }
    return call.send(body);
  };

  it('answers the usual 202 when the job has not ended within the wait (no worker yet), then 201 once it can', async () => {
    const started = Date.now();
    const late = await submit(apiA, { prompt: 'nobody renders this yet', width: 512, height: 512 }, 'wait=1');
    expect(late.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(late.headers['preference-applied']).toBe('wait=1');
    expect(late.body).toMatchObject({ status: 'QUEUED', submission: 'confirmed' });

    worker = await startWorker(stack.env);
    const done = await submit(apiA, { prompt: 'a lighthouse at dawn', width: 512, height: 512 }, 'wait=20');
    expect(done.status).toBe(201);
    const job = done.body as JobBody;
    expect(done.headers['preference-applied']).toBe('wait=20');
    expect(done.headers.location).toBe(`/v1/jobs/${job.jobId}`);
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(job.images).toHaveLength(1);
    expect((await fetch(job.images[0]!.url)).status).toBe(200);
  });

  it.each(CATALOG_MODELS)('runs a $modelId job ($codec codec) to SUCCEEDED in async mode', async ({ model }) => {
    const body = smallJobFor(model, `a lighthouse, queued (${model.id})`);
    const done = await submit(apiA, body, 'wait=20');
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: 'SUCCEEDED', params: { modelId: model.id } });
    expect((done.body as JobBody).images[0]).toMatchObject({ width: body.width, height: body.height });
  });

  it('answers a failed job 201 too: it is final', async () => {
    const failed = await submit(apiA, { prompt: 'a broken model [fail]', width: 512, height: 512 }, 'wait=20');
    expect(failed.status).toBe(201);
    expect(failed.body).toMatchObject({ status: 'FAILED', error: { code: 'MODEL_ERROR' } });
  });

  it('caps the wait at JOBS_MAX_WAIT_SECONDS and says so; a replay on another instance waits for the same job', async () => {
    const key = `"${ulid()}"`;
    const body = { prompt: 'a fox in the snow', width: 512, height: 512 };
    const onB = await submit(apiB, body, 'wait=100, respond-async', key);
    expect(onB.headers['preference-applied']).toBe('wait=2');
    const jobId = (onB.body as { jobId: string }).jobId;
    // the same key on A, with a wait: no second job, and the answer is the job as it ended
    const onA = await submit(apiA, body, 'wait=20', key);
    expect(onA.status).toBe(201);
    expect(onA.headers['idempotent-replayed']).toBe('true');
    expect(onA.body).toMatchObject({ jobId, status: 'SUCCEEDED' });
  });

  it('does not wait without a wait preference, with wait=0 or with a wait that is not a whole number of seconds', async () => {
    for (const prefer of [undefined, 'wait=0', 'respond-async', 'wait=soon', 'wait=abc', 'wait', 'wait=', 'wait=-5']) {
      const answer = await submit(apiA, { prompt: 'no hurry', width: 512, height: 512 }, prefer);
      expect([prefer, answer.status]).toEqual([prefer, 202]);
      expect(answer.headers['preference-applied']).toBeUndefined();
    }
  });

  it('caps any wait too long for the instance, however many digits it has', async () => {
    for (const prefer of ['wait=99999', 'wait=99999999999', `wait=${'9'.repeat(40)}`]) {
      const answer = await submit(apiB, { prompt: 'a very patient client', width: 512, height: 512 }, prefer);
      expect([prefer, answer.headers['preference-applied']]).toEqual([prefer, 'wait=2']);
      expect([201, 202]).toContain(answer.status);
    }
  });
});

describe('GET /v1/models and MODELS_CATALOG_FILE', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let dir: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    dir = await mkdtemp(join(tmpdir(), 'imggen-catalog-'));
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows each model’s mode, progress, typical time, cold start and price, and never an endpoint name', async () => {
    const token = await tokenFor(stack.env, `mo-${ulid()}`);
    const response = await request(api.getHttpServer())
      .get('/v1/models')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    const items = (response.body as { items: Array<Record<string, unknown>> }).items;
    expect(items.find((item) => item.id === 'stable-diffusion-xl')).toMatchObject({
      mode: 'async',
      reportsProgress: false,
      // SDXL, 30 steps at 1024²: 0.5 + 0.283 x 30 x 1.048576 s
      typicalSeconds: 9.402,
      coldStartSeconds: 360,
      pricing: { instanceType: 'ml.g5.xlarge', hourlyUsd: 1.408, typicalJobUsd: 0.003678 },
    });
    expect(items.find((item) => item.id === 'sdxl-turbo')).toMatchObject({ reportsProgress: true });
    const text = JSON.stringify(response.body);
    for (const model of BUILT_IN_MODELS) {
      expect(text).not.toContain(model.endpointName);
    }
    expect(text).not.toMatch(/endpoint/i);
  });

  it('refuses to start with a bad catalog file, naming the entry and the field', async () => {
    const file = join(dir, 'models.json');
    const bad = BUILT_IN_MODELS.map((model) =>
      model.id === 'sdxl-turbo' ? { ...model, mode: 'batch', defaults: { ...model.defaults, steps: 9 } } : model,
    );
    await writeFile(file, JSON.stringify(bad));
    const naming = new RegExp(`${file}[\\s\\S]*entry 4 \\(id 'sdxl-turbo'\\): mode: `);
    await expect(startApi(stack.env, { MODELS_CATALOG_FILE: file })).rejects.toThrow(naming);
    // the worker and the stub read the same file and refuse it the same way
    const workerStart = await startWorker(stack.env, { MODELS_CATALOG_FILE: file }).then(
      async (started) => `started: ${String(await started.close())}`,
      (error: Error) => error.message,
    );
    expect(workerStart).toMatch(naming);
    expect(() => buildStub({ config: loadStubConfig({ ...stack.env, MODELS_CATALOG_FILE: file }) })).toThrow(naming);
    await writeFile(file, JSON.stringify(BUILT_IN_MODELS.map((model) => ({ ...model, default: false }))));
    await expect(startApi(stack.env, { MODELS_CATALOG_FILE: file })).rejects.toThrow(/no model is marked "default"/);
  });
});
