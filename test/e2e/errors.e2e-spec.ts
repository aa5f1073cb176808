import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ulid } from 'ulid';
import { createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { isFinalStatus, type Job } from '#libs/contracts';
import { BUILT_IN_MODELS } from '#libs/models';
import { waitFor } from '#libs/testing';
import { unreachableUrl } from '../support/closed-port.js';
import {
  type MisbehavingSageMaker,
  type Misbehaviour,
  startMisbehavingSageMaker,
} from '../support/misbehaving-sagemaker.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: Array<{ field: string; message: string }>;
  jobId?: string;
}

describe('bad input and failing dependencies', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    token = await tokenFor(stack.env, `erin-${ulid()}`);
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  const post = (app: NestFastifyApplication, body: unknown) =>
    request(app.getHttpServer())
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .send(body as object);

  /** The job as stored in DynamoDB, not as the api shows it. */
  async function storedJob(jobId: string): Promise<Job | undefined> {
    const repository = new JobRepository(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).jobsTable,
    );
    return repository.get(jobId);
  }

  async function ownJobCount(app: NestFastifyApplication = api): Promise<number> {
    const response = await request(app.getHttpServer())
      .get('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    return (response.body as { items: unknown[] }).items.length;
  }

  it.each([
    ['a missing prompt', {}, ['prompt']],
    ['an empty prompt', { prompt: '' }, ['prompt']],
    ['a prompt over 2000 characters', { prompt: 'x'.repeat(2001) }, ['prompt']],
    ['a size that is not a multiple of 8', { prompt: 'p', width: 1001 }, ['width']],
    ['steps as a string', { prompt: 'p', steps: '20' }, ['steps']],
    [
      'out-of-range numbers',
      { prompt: 'p', steps: 0, guidanceScale: 99, numImages: 9, seed: -1 },
      ['steps', 'guidanceScale', 'numImages', 'seed'],
    ],
    [
      'an unknown quality and format',
      { prompt: 'p', quality: 'ultra', outputFormat: 'gif' },
      ['quality', 'outputFormat'],
    ],
    ['an unknown field', { prompt: 'p', sampler: 'euler' }, ['sampler']],
    // found by the hostile-input generator: Nest strips these keys, class-transformer skips inherited method names
    ...(['constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'] as const).map(
      (key) =>
        [
          `a field named ${key} (was silently dropped)`,
          JSON.parse(`{"prompt":"p","${key}":{}}`) as object,
          [key],
        ] as const,
    ),
    ['a prompt with a NUL (was accepted)', { prompt: 'a fox\u0000' }, ['prompt']],
    ['a prompt with an escape character', { prompt: '\u001b[31mred' }, ['prompt']],
    ['a prompt with a lone surrogate (was accepted)', { prompt: 'a fox \ud83d' }, ['prompt']],
    ['a negative prompt with a lone surrogate', { prompt: 'p', negativePrompt: '\udc00' }, ['negativePrompt']],
    ['an unknown model', { prompt: 'p', modelId: 'dall-e' }, ['modelId']],
    ['more steps than the model allows', { prompt: 'p', modelId: 'stability-sdxl', steps: 60 }, ['steps']],
    ['a size the model does not take', { prompt: 'p', modelId: 'stability-sdxl', width: 512, height: 512 }, ['width']],
    ['a webhook aimed at a private address', { prompt: 'p', webhookUrl: 'http://10.0.0.1/hook' }, ['webhookUrl']],
    ['webhook events without a webhook', { prompt: 'p', webhookEvents: ['queued'] }, ['webhookEvents']],
    ['a JSON array body', [1, 2], []],
  ])('rejects %s with 400 problem+json naming the field, writing nothing', async (_label, body, fields) => {
    const response = await post(api, body).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.body as Problem;
    expect(problem).toMatchObject({
      type: '/problems/validation-error',
      title: 'Invalid request',
      status: 400,
      instance: '/v1/jobs',
    });
    expect(problem.detail).toEqual(expect.any(String));
    for (const field of fields) {
      expect(problem.errors?.map((error) => error.field)).toContain(field);
    }
    expect(await ownJobCount()).toBe(0);
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'prompt'],
    ['null', null],
  ])('says the body must be a JSON object when it is %s', async (_label, body) => {
    const response = await request(api.getHttpServer())
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send(JSON.stringify(body))
      .expect(400);
    expect(response.body).toMatchObject({ status: 400, detail: 'The request body must be a JSON object' });
    expect(await ownJobCount()).toBe(0);
  });

  it('refuses bodies over 8 KB with 413, as AWS WAF would', async () => {
    const response = await post(api, { prompt: 'p', negativePrompt: 'n'.repeat(9000) }).expect(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 413,
      type: '/problems/payload-too-large',
      detail: 'Request bodies are limited to 8192 bytes',
    });
    expect(await ownJobCount()).toBe(0);
  });

  it('answers malformed JSON with 400 and a non-JSON body with 415', async () => {
    const malformed = await request(api.getHttpServer())
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send('{"prompt": ')
      .expect(400);
    expect(malformed.body).toMatchObject({ status: 400, type: '/problems/validation-error' });
    const text = await request(api.getHttpServer())
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'text/plain')
      .send('a prompt')
      .expect(415);
    expect(text.body).toMatchObject({
      status: 415,
      type: '/problems/unsupported-media-type',
      detail: 'Request bodies must be application/json, not text/plain',
    });
  });

  it('rejects a bad list query', async () => {
    const response = await request(api.getHttpServer())
      .get('/v1/jobs?limit=1000&status=DONE&cursor=%%%')
      .set('authorization', `Bearer ${token}`)
      .expect(400);
    expect((response.body as Problem).errors?.map((error) => error.field)).toEqual(
      expect.arrayContaining(['limit', 'status']),
    );
  });

  describe('when SageMaker is unreachable (nothing was sent)', () => {
    let degraded: NestFastifyApplication;

    beforeAll(async () => {
      degraded = await startApi(stack.env, { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: await unreachableUrl() });
    });

    afterAll(async () => {
      await degraded?.close();
    });

    it('answers 503 with Retry-After and leaves the job FAILED, not half-written', async () => {
      const response = await post(degraded, { prompt: 'a storm' }).expect(503);
      expect(response.headers['retry-after']).toBe('5');
      const problem = response.body as Problem;
      expect(problem).toMatchObject({ status: 503, type: '/problems/dependency-unavailable' });
      expect(problem.jobId).toEqual(expect.any(String));
      expect(JSON.stringify(problem)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);

      expect(await storedJob(problem.jobId!)).toMatchObject({
        status: 'FAILED',
        error: { code: 'INFERENCE_UNAVAILABLE' },
      });
      const job = await request(degraded.getHttpServer())
        .get(`/v1/jobs/${problem.jobId}`)
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect(job.body).toMatchObject({ status: 'FAILED', error: { code: 'INFERENCE_UNAVAILABLE' } });
    });
  });

  describe.each<[string, Misbehaviour]>([
    ['SageMaker answers 500', { kind: 'error', status: 500, errorType: 'InternalFailure', message: 'internal' }],
    ['the connection drops after the request was sent', { kind: 'reset' }],
  ])('when %s (SageMaker may have taken the job)', (_label, misbehaviour) => {
    let sagemaker: MisbehavingSageMaker;
    let degraded: NestFastifyApplication;

    beforeAll(async () => {
      sagemaker = await startMisbehavingSageMaker(misbehaviour);
      degraded = await startApi(stack.env, { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: sagemaker.url });
    });

    afterAll(async () => {
      await degraded?.close();
      await sagemaker?.close();
    });

    it('answers 202 with submission "unconfirmed" and leaves the job QUEUED for its notification', async () => {
      const response = await post(degraded, { prompt: 'a tide' }).expect(202);
      expect(response.body).toMatchObject({ status: 'QUEUED', submission: 'unconfirmed' });
      const { jobId } = response.body as { jobId: string };
      expect(response.headers['location']).toBe(`/v1/jobs/${jobId}`);
      expect(response.headers['retry-after']).toBeUndefined();
      expect(sagemaker.requests).toBe(1);

      const stored = await storedJob(jobId);
      expect(stored).toMatchObject({ status: 'QUEUED', submission: 'unconfirmed' });
      expect(stored?.error).toBeUndefined();
      expect(stored?.outputLocation).toBeUndefined();
    });
  });

  describe('when SageMaker takes the job but the answer is lost', () => {
    let sagemaker: MisbehavingSageMaker;
    let degraded: NestFastifyApplication;
    let worker: INestApplicationContext;

    beforeAll(async () => {
      sagemaker = await startMisbehavingSageMaker({
        kind: 'relay-then-reset',
        target: stack.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME!,
      });
      degraded = await startApi(stack.env, { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: sagemaker.url });
      worker = await startWorker(stack.env);
    });

    afterAll(async () => {
      await worker?.close();
      await degraded?.close();
      await sagemaker?.close();
    });

    it('answers unconfirmed, and the job still ends SUCCEEDED from its notification with no resubmission', async () => {
      const response = await post(degraded, { prompt: 'a lost answer', modelId: 'stable-diffusion-2-1' }).expect(202);
      expect(response.body).toMatchObject({ status: 'QUEUED', submission: 'unconfirmed' });
      const { jobId } = response.body as { jobId: string };

      const finished = await waitFor(async () => {
        const job = await storedJob(jobId);
        return job && isFinalStatus(job.status) ? job : undefined;
      });
      expect(finished).toMatchObject({ status: 'SUCCEEDED', submission: 'unconfirmed' });
      expect(finished?.images).toHaveLength(1);
      // sent once: the SDK did not retry an invocation SageMaker had in fact taken
      expect(sagemaker.requests).toBe(1);
    });
  });

  describe("when the model's endpoint does not exist (a configuration error)", () => {
    let misconfigured: NestFastifyApplication;
    let catalogDir: string;

    beforeAll(async () => {
      catalogDir = await mkdtemp(join(tmpdir(), 'imggen-catalog-'));
      const catalogFile = join(catalogDir, 'models.json');
      const models = BUILT_IN_MODELS.map((model) =>
        model.id === 'stable-diffusion-xl' ? { ...model, endpointName: 'imggen-no-such-endpoint' } : model,
      );
      await writeFile(catalogFile, JSON.stringify(models));
      // the stub still serves the built-in endpoints only
      misconfigured = await startApi(stack.env, { MODELS_CATALOG_FILE: catalogFile });
    });

    afterAll(async () => {
      await misconfigured?.close();
      await rm(catalogDir, { recursive: true, force: true });
    });

    it('answers 500 "model misconfigured" without Retry-After and leaves the job FAILED with ENDPOINT_NOT_FOUND', async () => {
      const response = await post(misconfigured, { prompt: 'a cliff', modelId: 'stable-diffusion-xl' }).expect(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['retry-after']).toBeUndefined();
      const problem = response.body as Problem;
      expect(problem).toMatchObject({
        status: 500,
        type: '/problems/model-misconfigured',
        title: 'Model misconfigured',
      });
      expect(problem.detail).toContain('stable-diffusion-xl');
      expect(problem.detail).not.toMatch(/imggen-no-such-endpoint|account/);
      expect(await storedJob(problem.jobId!)).toMatchObject({
        status: 'FAILED',
        error: { code: 'ENDPOINT_NOT_FOUND' },
      });
    });

    it('still takes jobs for the models that are set up right, confirmed', async () => {
      const response = await post(misconfigured, { prompt: 'a cliff', modelId: 'stable-diffusion-2-1' }).expect(202);
      expect(response.body).toMatchObject({ status: 'QUEUED', submission: 'confirmed' });
      expect(await storedJob((response.body as { jobId: string }).jobId)).toMatchObject({
        submission: 'confirmed',
        outputLocation: expect.stringMatching(/^s3:\/\//),
      });
    });
  });

  describe('when DynamoDB is unreachable', () => {
    let degraded: NestFastifyApplication;

    beforeAll(async () => {
      degraded = await startApi(stack.env, { AWS_ENDPOINT_URL_DYNAMODB: await unreachableUrl() });
    });

    afterAll(async () => {
      await degraded?.close();
    });

    it('answers 503 without creating a job and reports not ready', async () => {
      const before = await ownJobCount();
      const response = await post(degraded, { prompt: 'a calm sea' }).expect(503);
      expect(response.body).toMatchObject({
        status: 503,
        type: '/problems/dependency-unavailable',
        detail: 'DynamoDB is unavailable; try again shortly.',
      });
      expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      expect(await ownJobCount()).toBe(before);

      const ready = await request(degraded.getHttpServer()).get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({ status: 'error', error: { dynamodb: { status: 'down' } } });
    });
  });
});
