import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadResourcesConfig } from '#libs/config';
import { estimateCost, ModelCatalog } from '#libs/models';
import { waitFor } from '#libs/testing';
import { countStored } from '../support/hostile/stored-counts.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface AcceptedBatch {
  batchId: string;
  createdAt: string;
  jobs: { jobId: string; status: string; submission: string; links: { self: string } }[];
  links: { self: string };
}
interface BatchBody {
  batchId: string;
  jobCount: number;
  counts: Record<string, number>;
  jobs: { jobId: string; status: string; error: unknown; links: { self: string } }[];
  links: { self: string };
}
interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  'violated-policies'?: string[];
  budget?: string;
  jobsRequested?: number;
  jobsAvailable?: number;
  estimatedUsd?: number;
  remainingUsd?: number;
}

const STARTUP_TIMEOUT_MS = 30_000;
// a batch of 100 rendered by the stub and finalized by the worker, on a shared 2-core machine
jest.setTimeout(180_000);

/** The default request (SDXL, 30 steps, 1024x1024): what each job of a batch of bare prompts reserves. */
const SDXL_ESTIMATE = estimateCost(ModelCatalog.builtIn().get('stable-diffusion-xl'), {
  steps: 30,
  width: 1024,
  height: 1024,
  numImages: 1,
});

const prompts = (count: number, prefix = 'a lighthouse'): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix} ${index}`);

describe('POST /v1/batches and GET /v1/batches/{id}', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext | undefined;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    for (const app of apps) {
      await app.close();
    }
    await api?.close();
    await stack?.stop();
  });

  async function apiWith(overrides: Record<string, string>): Promise<NestFastifyApplication> {
    const app = await startApi(stack.env, overrides);
    apps.push(app);
    return app;
  }

  const submit = (token: string, body: unknown, app = api, headers: Record<string, string> = {}) =>
    request(app.getHttpServer())
      .post('/v1/batches')
      .set({ authorization: `Bearer ${token}`, ...headers })
      .send(body as object);
  /**
   * What is stored once the stub has written the output of every job submitted so far (it does so on its own,
   * without a worker): a count taken then changes only by what the api writes.
   */
  const settledCounts = () =>
    waitFor(
      async () => {
        const counts = await countStored(stack.env);
        const { requestsBucket, outputsBucket } = loadResourcesConfig(stack.env);
        return counts[`bucket ${outputsBucket}`] === counts[`bucket ${requestsBucket}`] ? counts : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, description: 'the stub to write every output' },
    );

  const read = (token: string, path: string, app = api) =>
    request(app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);

  // runs before any worker exists: the jobs of the first batch stay in flight
  it('refuses a batch the jobs-in-flight limit has no room for as a whole, and writes nothing for it', async () => {
    const limited = await apiWith({ LIMITS_JOBS_IN_FLIGHT: '3' });
    const token = await tokenFor(stack.env, 'batch-in-flight');
    expect((await submit(token, { prompts: prompts(2) }, limited)).status).toBe(202);
    const before = await settledCounts();

    const refused = await submit(token, { prompts: prompts(2) }, limited);

    expect(refused.status).toBe(429);
    const problem = refused.body as Problem;
    expect(problem).toMatchObject({
      type: '/problems/quota-exceeded',
      'violated-policies': ['jobs-in-flight'],
      jobsRequested: 2,
      jobsAvailable: 1,
    });
    expect(problem.detail).toMatch(/needs 2 jobs in flight.*2 of your 3.*only 1 more/);
    expect(await countStored(stack.env)).toEqual(before);
    // the refused batch took no slot: one job still fits
    expect((await submit(token, { prompts: prompts(1) }, limited)).status).toBe(202);
  });

  it('refuses a batch over the jobs per day as a whole and says how many are left', async () => {
    const limited = await apiWith({ LIMITS_JOBS_PER_DAY: '5' });
    const token = await tokenFor(stack.env, 'batch-daily');
    expect((await submit(token, { prompts: prompts(3) }, limited)).status).toBe(202);
    const before = await settledCounts();

    const refused = await submit(token, { prompts: prompts(3) }, limited);

    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      type: '/problems/quota-exceeded',
      'violated-policies': ['jobs-per-day'],
      jobsRequested: 3,
      jobsAvailable: 2,
    });
    expect(await countStored(stack.env)).toEqual(before);
    // the refused batch's points were given back: exactly the 2 left still fit
    expect((await submit(token, { prompts: prompts(2) }, limited)).status).toBe(202);
    expect((await submit(token, { prompts: prompts(1) }, limited)).status).toBe(429);
  });

  it('refuses a batch that would overshoot the monthly budget as a whole: 429 budget-exhausted, nothing written', async () => {
    // room for 3.5 jobs: a batch of 2, then a batch of 2 more would overshoot by half a job
    const budgetUsd = (3.5 * SDXL_ESTIMATE.micros) / 1_000_000;
    const budgeted = await apiWith({ LIMITS_USER_MONTHLY_BUDGET_USD: String(budgetUsd) });
    const token = await tokenFor(stack.env, 'batch-budget');
    expect((await submit(token, { prompts: prompts(2) }, budgeted)).status).toBe(202);
    const before = await settledCounts();

    const refused = await submit(token, { prompts: prompts(2) }, budgeted);

    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    const problem = refused.body as Problem;
    expect(problem).toMatchObject({
      type: '/problems/budget-exhausted',
      budget: 'user',
      jobsRequested: 2,
      estimatedUsd: (2 * SDXL_ESTIMATE.micros) / 1_000_000,
      remainingUsd: (1.5 * SDXL_ESTIMATE.micros) / 1_000_000,
    });
    expect(problem.detail).toMatch(/batch of 2 jobs/);
    expect(await countStored(stack.env)).toEqual(before);
    // nothing of the refused batch is held: the one job that fits is accepted
    expect((await submit(token, { prompts: prompts(1) }, budgeted)).status).toBe(202);
    expect((await submit(token, { prompts: prompts(1) }, budgeted)).status).toBe(429);
  });

  it('names a bad field of a job with its index, and a bad prompt with its own', async () => {
    const token = await tokenFor(stack.env, 'batch-invalid');
    const before = await settledCounts();

    const badJob = await submit(token, { jobs: [{ prompt: 'a' }, { prompt: 'b' }, { prompt: 'c', steps: 0 }] });
    expect(badJob.status).toBe(400);
    expect((badJob.body as Problem).errors).toEqual([{ field: 'jobs[2].steps', message: expect.any(String) }]);

    const unknownField = await submit(token, { jobs: [{ prompt: 'a', colour: 'red' }] });
    expect((unknownField.body as Problem).errors).toEqual([
      { field: 'jobs[0].colour', message: 'jobs[0].colour is not a field of this request' },
    ]);

    // the model's own bounds (SD 2.1 stops at 1024 px) are checked per job too
    const overModel = await submit(token, {
      modelId: 'stable-diffusion-2-1',
      jobs: [{ prompt: 'a' }, { prompt: 'b', width: 1536 }],
    });
    expect(overModel.status).toBe(400);
    expect((overModel.body as Problem).errors?.map((error) => error.field)).toEqual(['jobs[1].width']);

    const badPrompt = await submit(token, { prompts: ['a', ' '] });
    expect(badPrompt.status).toBe(400);
    expect((badPrompt.body as Problem).errors).toEqual([{ field: 'prompts', message: 'prompts[1] must not be empty' }]);

    const both = await submit(token, { prompts: ['a'], jobs: [{ prompt: 'b' }] });
    expect((both.body as Problem).errors?.map((error) => error.field)).toEqual(['prompts']);
    const neither = await submit(token, { steps: 20 });
    expect((neither.body as Problem).errors?.map((error) => error.field)).toEqual(['jobs']);
    const tooMany = await submit(token, { prompts: prompts(101, 'x') });
    expect((tooMany.body as Problem).errors).toEqual([
      { field: 'prompts', message: 'prompts must hold at most 100 prompts' },
    ]);
    expect(await countStored(stack.env)).toEqual(before);
  });

  it('answers a batch of full bodies over 8 KB with a 413 that points at prompts', async () => {
    const token = await tokenFor(stack.env, 'batch-large');
    const jobs = Array.from({ length: 100 }, (_, index) => ({
      prompt: `a lighthouse at dawn, number ${index}`,
      negativePrompt: 'blurry',
      steps: 30,
      width: 1024,
      height: 1024,
    }));

    const answer = await submit(token, { jobs });

    expect(answer.status).toBe(413);
    expect((answer.body as Problem).detail).toMatch(/8192 bytes.*`prompts`/);
  });

  it('replays an idempotent batch: one batch, the same answer', async () => {
    const token = await tokenFor(stack.env, 'batch-idempotent');
    const body = { prompts: prompts(3), steps: 20 };
    const headers = { 'idempotency-key': 'batch-key-1' };

    const [first, second] = await Promise.all([submit(token, body, api, headers), submit(token, body, api, headers)]);
    const third = await submit(token, body, api, headers);

    for (const answer of [first, second, third]) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(first.body);
    }
    expect([first, second].filter((answer) => answer.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
    expect(third.headers['idempotent-replayed']).toBe('true');
    const listed = await read(token, '/v1/batches').expect(200);
    expect((listed.body as { items: unknown[] }).items).toHaveLength(1);
    const reused = await submit(token, { prompts: prompts(4) }, api, headers);
    expect(reused.status).toBe(422);
  });

  it('runs a batch of 100 prompts through the stub (every job SUCCEEDED, counted) while the budget refuses a second', async () => {
    worker = await startWorker(stack.env);
    const token = await tokenFor(stack.env, 'batch-hundred');
    const shared = { steps: 10, width: 512, height: 512 };
    const estimate = await request(api.getHttpServer())
      .post('/v1/jobs/estimate')
      .set('authorization', `Bearer ${token}`)
      .send({ prompt: 'x', ...shared })
      .expect(200);
    // room for 150 such jobs: the first 100 fit, a second 100 while they are held would overshoot
    const jobUsd = (estimate.body as { cost: { usd: number } }).cost.usd;
    const budgeted = await apiWith({ LIMITS_USER_MONTHLY_BUDGET_USD: String(150 * jobUsd) });

    const answer = await submit(token, { prompts: prompts(100), ...shared }, budgeted);
    const overshoot = await submit(token, { prompts: prompts(100), ...shared }, budgeted);
    expect(overshoot.status).toBe(429);
    expect(overshoot.body).toMatchObject({ type: '/problems/budget-exhausted', budget: 'user', jobsRequested: 100 });

    expect(answer.status).toBe(202);
    const accepted = answer.body as AcceptedBatch;
    expect(answer.headers.location).toBe(`/v1/batches/${accepted.batchId}`);
    expect(accepted.links.self).toBe(answer.headers.location);
    expect(accepted.jobs).toHaveLength(100);
    expect(new Set(accepted.jobs.map((job) => job.jobId)).size).toBe(100);
    expect(accepted.jobs.every((job) => job.submission === 'confirmed')).toBe(true);

    const done = await waitFor(
      async () => {
        const batch = (await read(token, accepted.links.self).expect(200)).body as BatchBody;
        return batch.counts.SUCCEEDED === 100 ? batch : undefined;
      },
      { timeoutMs: 170_000, intervalMs: 250, description: 'the batch of 100 to succeed' },
    );
    expect(done).toMatchObject({ batchId: accepted.batchId, jobCount: 100 });
    expect(done.counts).toEqual({ QUEUED: 0, RUNNING: 0, SUCCEEDED: 100, FAILED: 0, CANCELED: 0, TIMED_OUT: 0 });
    expect(done.jobs.map((job) => job.jobId)).toEqual(accepted.jobs.map((job) => job.jobId));
    expect(done.jobs[0]?.links.self).toBe(`/v1/jobs/${accepted.jobs[0]?.jobId}`);

    const job = (await read(token, done.jobs[42]!.links.self).expect(200)).body as { batchId: string; params: object };
    expect(job.batchId).toBe(accepted.batchId);
    expect(job.params).toMatchObject({ prompt: 'a lighthouse 42', steps: 10, width: 512 });

    // the refused batch left nothing: one batch listed, 100 jobs in the month's usage
    const listed = (await read(token, '/v1/batches').expect(200)).body as { items: { batchId: string }[] };
    expect(listed.items.map((item) => item.batchId)).toEqual([accepted.batchId]);
    const usage = (await read(token, '/v1/usage').expect(200)).body as { jobs: { total: number } };
    expect(usage.jobs.total).toBe(100);
  });

  it('shows a batch to its owner and administrators only', async () => {
    const owner = await tokenFor(stack.env, 'batch-owner');
    const accepted = (await submit(owner, { prompts: ['mine'] }).expect(202)).body as AcceptedBatch;

    await read(await tokenFor(stack.env, 'batch-stranger'), accepted.links.self).expect(404);
    await read(await tokenFor(stack.env, 'batch-admin', { admin: true }), accepted.links.self).expect(200);
    await read(owner, '/v1/batches/not-a-batch-id').expect(404);
  });

  it('pages the caller’s batches newest first', async () => {
    const token = await tokenFor(stack.env, 'batch-pager');
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      ids.push(((await submit(token, { prompts: [`p${index}`] }).expect(202)).body as AcceptedBatch).batchId);
    }
    const first = (await read(token, '/v1/batches?limit=2').expect(200)).body as {
      items: { batchId: string }[];
      nextCursor: string;
    };
    expect(first.items.map((item) => item.batchId)).toEqual([ids[2], ids[1]]);
    const second = (await read(token, `/v1/batches?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`).expect(200))
      .body as { items: { batchId: string }[]; nextCursor: string | null };
    expect(second).toEqual({ items: [expect.objectContaining({ batchId: ids[0] })], nextCursor: null });
    // another user's cursor continues nothing
    await read(await tokenFor(stack.env, 'batch-other'), `/v1/batches?cursor=${first.nextCursor}`).expect(400);
  });
});
