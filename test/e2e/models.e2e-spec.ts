import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import sharp from 'sharp';
import request from 'supertest';
import { ulid } from 'ulid';
import { waitFor } from '#libs/testing';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface JobBody {
  jobId: string;
  status: string;
  params: Record<string, unknown>;
  images: Array<{ url: string; index: number; width: number; height: number; format: string }>;
  imageOutcomes: { ok: number; filtered: number; failed: number; outcomes: string[] } | null;
  error: { code: string; message: string } | null;
  metadata: { timings: { model?: Record<string, number> }; cost: { gpuSeconds: number; usd: number } | null };
}

interface ModelBody {
  id: string;
  reportsProgress: boolean;
  defaults: { steps: number; guidanceScale: number };
  limits: { maxSteps: number; maxImages: number; maxGuidanceScale: number };
}

describe('our own models (the imggen container, through the stub) and partial results', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    worker = await startWorker(stack.env);
    token = await tokenFor(stack.env, `erin-${ulid()}`);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  const http = () => request(api.getHttpServer());

  async function run(body: object): Promise<JobBody> {
    const submitted = await http().post('/v1/jobs').set('authorization', `Bearer ${token}`).send(body).expect(202);
    const { jobId } = submitted.body as { jobId: string };
    return waitFor(
      async () => {
        const response = await http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${token}`).expect(200);
        const job = response.body as JobBody;
        return ['SUCCEEDED', 'FAILED'].includes(job.status) ? job : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: `job ${jobId} to finish` },
    );
  }

  it('lists both, reporting progress; the distilled model takes 1-4 steps and no guidance', async () => {
    const response = await http().get('/v1/models').set('authorization', `Bearer ${token}`).expect(200);
    const items = (response.body as { items: ModelBody[] }).items;
    const byId = new Map(items.map((model) => [model.id, model]));
    expect(byId.get('imggen-sdxl')).toMatchObject({ reportsProgress: true, limits: { maxImages: 4 } });
    expect(byId.get('sdxl-turbo')).toMatchObject({
      reportsProgress: true,
      defaults: { steps: 1, guidanceScale: 0 },
      limits: { maxSteps: 4, maxGuidanceScale: 0 },
    });
    expect(byId.get('stable-diffusion-xl')).toMatchObject({ reportsProgress: false, limits: { maxGuidanceScale: 35 } });
  });

  it.each([
    { modelId: 'imggen-sdxl', width: 768, height: 512, numImages: 2 },
    { modelId: 'sdxl-turbo', width: 512, height: 512, numImages: 1 },
  ])('runs a $modelId job to SUCCEEDED with its images', async ({ modelId, width, height, numImages }) => {
    const job = await run({ prompt: 'a lighthouse at dawn', modelId, width, height, numImages, outputFormat: 'webp' });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.images.map((image) => [image.index, image.width, image.height, image.format])).toEqual(
      Array.from({ length: numImages }, (_, index) => [index, width, height, 'webp']),
    );
    expect(job.imageOutcomes).toEqual({
      ok: numImages,
      filtered: 0,
      failed: 0,
      outcomes: Array<string>(numImages).fill('ok'),
    });
    // the container's own timings are kept, and price the job
    expect(job.metadata.timings.model).toEqual({ loadMs: 0, queueMs: 0, inferenceMs: expect.any(Number) });
    expect(job.metadata.cost?.gpuSeconds).toBe((job.metadata.timings.model?.inferenceMs ?? NaN) / 1000);
    const bytes = Buffer.from(await (await fetch(job.images[0]!.url)).arrayBuffer());
    expect((await sharp(bytes).metadata()).format).toBe('webp');
  });

  it('refuses guidance for the distilled model', async () => {
    const response = await http()
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .send({ prompt: 'a cat', modelId: 'sdxl-turbo', guidanceScale: 7 })
      .expect(400);
    expect(JSON.stringify(response.body)).toContain('must be 0 for model sdxl-turbo');
  });

  it('SUCCEEDS with the image that was not filtered, and shows what became of each', async () => {
    const job = await run({
      prompt: 'two cats [filtered:2]',
      modelId: 'imggen-sdxl',
      numImages: 2,
      width: 512,
      height: 512,
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.error).toBeNull();
    expect(job.images).toHaveLength(1);
    expect(job.images[0]).toMatchObject({ index: 0, width: 512, height: 512 });
    expect(job.imageOutcomes).toEqual({ ok: 1, filtered: 1, failed: 0, outcomes: ['ok', 'filtered'] });
    expect((await fetch(job.images[0]!.url)).status).toBe(200);
  });

  it('FAILS with CONTENT_FILTERED when every image was filtered', async () => {
    const job = await run({
      prompt: 'two cats [filtered]',
      modelId: 'imggen-sdxl',
      numImages: 2,
      width: 512,
      height: 512,
    });
    expect(job.status).toBe('FAILED');
    expect(job.error?.code).toBe('CONTENT_FILTERED');
    expect(job.error?.message).toMatch(/content filter blocked every image \(2 of 2\)/);
    expect(job.images).toEqual([]);
    expect(job.imageOutcomes).toEqual({ ok: 0, filtered: 2, failed: 0, outcomes: ['filtered', 'filtered'] });
  });
});
