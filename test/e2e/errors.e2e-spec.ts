import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ulid } from 'ulid';
import { unreachableUrl } from '../support/closed-port.js';
import { startApi, tokenFor } from '../support/platform.js';
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
    ['an unknown model', { prompt: 'p', modelId: 'dall-e' }, ['modelId']],
    ['more steps than the model allows', { prompt: 'p', modelId: 'stability-sdxl', steps: 60 }, ['steps']],
    ['a size the model does not take', { prompt: 'p', modelId: 'stability-sdxl', width: 512, height: 512 }, ['width']],
    ['a webhook (not available yet)', { prompt: 'p', webhookUrl: 'https://example.com/hook' }, ['webhookUrl']],
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

  describe('when SageMaker is unreachable', () => {
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

      const job = await request(degraded.getHttpServer())
        .get(`/v1/jobs/${problem.jobId}`)
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect(job.body).toMatchObject({ status: 'FAILED', error: { code: 'INFERENCE_UNAVAILABLE' } });
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
