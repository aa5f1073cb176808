import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ulid } from 'ulid';
import { createDynamoDbDocumentClient, createS3Client } from '#libs/aws';
import { type Env, loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { BUILT_IN_MODELS, estimateCost, ModelCatalog, priceOfGpuSeconds } from '#libs/models';
import { waitFor } from '#libs/testing';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface CostBody {
  gpuSeconds: number;
  usd: number;
}
interface JobBody {
  jobId: string;
  status: string;
  metadata: { timings: { inferenceMs?: number }; cost: CostBody | null };
}
interface BudgetBody {
  limitUsd: number;
  committedUsd: number;
  remainingUsd: number;
  resetsAt: string;
}
interface TotalsBody {
  jobs: { total: number; inFlight: number; byStatus: Record<string, number> };
  gpuSeconds: number;
  usd: number;
}
interface UsageBody extends TotalsBody {
  month: string;
  budget: BudgetBody | null;
  platform?: TotalsBody & { budget: BudgetBody | null };
  users?: { items: Array<TotalsBody & { ownerId: string; committedUsd: number }>; nextCursor: string | null };
}
interface Problem {
  type: string;
  status: number;
  detail: string;
  budget?: string;
  resetsAt?: string;
  jobId?: string;
}

/** Emulators, provisioning, the idp and the stub: a few seconds, more on a busy machine. */
const STARTUP_TIMEOUT_MS = 30_000;
// the tests wait for jobs to finish and settle (up to 20 s each under load)
jest.setTimeout(30_000);

const catalog = ModelCatalog.builtIn();
/** The default request (SDXL, 30 steps, 1024x1024): its estimate is what each submission reserves. */
const SDXL_ESTIMATE = estimateCost(catalog.get('stable-diffusion-xl'), {
  steps: 30,
  width: 1024,
  height: 1024,
  numImages: 1,
});

function nextMonthStart(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}

/** Helpers over one api instance. */
function client(api: () => NestFastifyApplication) {
  const http = () => request(api().getHttpServer());
  return {
    http,
    submit: (token: string, body: object = { prompt: 'a lighthouse' }) =>
      http().post('/v1/jobs').set('authorization', `Bearer ${token}`).send(body),
    usage: async (token: string, query = ''): Promise<UsageBody> =>
      (await http().get(`/v1/usage${query}`).set('authorization', `Bearer ${token}`).expect(200)).body as UsageBody,
    job: async (token: string, jobId: string): Promise<JobBody> =>
      (await http().get(`/v1/jobs/${jobId}`).set('authorization', `Bearer ${token}`).expect(200)).body as JobBody,
  };
}

describe('cost per job and GET /v1/usage', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  const c = client(() => api);

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    worker = await startWorker(stack.env);
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  async function finished(token: string, jobId: string): Promise<JobBody> {
    return waitFor(
      async () => {
        const job = await c.job(token, jobId);
        return ['SUCCEEDED', 'FAILED'].includes(job.status) ? job : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: `job ${jobId} to finish` },
    );
  }

  async function settledUsage(token: string, jobs: number): Promise<UsageBody> {
    return waitFor(
      async () => {
        const usage = await c.usage(token);
        return usage.jobs.inFlight === 0 && usage.jobs.total === jobs ? usage : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, description: 'the usage to settle' },
    );
  }

  it('records a finished job’s GPU seconds (receivedTime → eventTime) and price in metadata.cost', async () => {
    const token = await tokenFor(stack.env, `cost-${ulid()}`);
    const submitted = await c.submit(token).expect(202);
    const job = await finished(token, (submitted.body as { jobId: string }).jobId);
    expect(job.status).toBe('SUCCEEDED');
    const inferenceMs = job.metadata.timings.inferenceMs!;
    expect(inferenceMs).toBeGreaterThanOrEqual(0);
    expect(job.metadata.cost).toEqual({
      gpuSeconds: inferenceMs / 1000,
      usd: priceOfGpuSeconds(inferenceMs / 1000, 1.408) / 1_000_000,
    });
  });

  it('settles the platform’s hold in the usage shard the job recorded at submission', async () => {
    const documents = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    const { jobsTable, accountsTable } = loadResourcesConfig(stack.env);
    const month = new Date().toISOString().slice(0, 7);
    const shards = async (): Promise<Map<string, Record<string, unknown>>> => {
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: accountsTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :platform)',
          ExpressionAttributeValues: { ':pk': `usage#${month}`, ':platform': 'platform#' },
          ConsistentRead: true,
        }),
      );
      return new Map(Items.map((item) => [String(item.sk), item]));
    };
    const succeededIn = (shard: Record<string, unknown> | undefined): number => Number(shard?.jobs_SUCCEEDED ?? 0);
    const before = await shards();

    const token = await tokenFor(stack.env, `shard-${ulid()}`);
    const { jobId } = (await c.submit(token).expect(202)).body as { jobId: string };
    const { Item: item } = await documents.send(new GetCommand({ TableName: jobsTable, Key: { jobId } }));
    const shard = `platform#${String(item?.usageShard).padStart(2, '0')}`;
    expect(item?.usageShard).toEqual(expect.any(Number));
    expect((await finished(token, jobId)).status).toBe('SUCCEEDED');
    await settledUsage(token, 1);

    // that shard booked a job (jobs of earlier tests may still be settling, there and in other shards), and no shard
    // holds this one any more: a settlement that looked in another shard would have left the hold where it was
    const after = await waitFor(async () => {
      const now = await shards();
      return succeededIn(now.get(shard)) > succeededIn(before.get(shard)) ? now : undefined;
    });
    for (const [sk, usage] of after) {
      expect({ sk, held: (usage.holds as Record<string, unknown> | undefined)?.[jobId] }).toEqual({
        sk,
        held: undefined,
      });
    }
  });

  it('answers usage that matches the caller’s jobs: counts by status, GPU seconds, USD, no budget', async () => {
    const token = await tokenFor(stack.env, `usage-${ulid()}`);
    const bodies = [
      { prompt: 'one' },
      { prompt: 'two', modelId: 'stable-diffusion-2-1', numImages: 2 },
      { prompt: 'three', modelId: 'stability-sdxl', steps: 10 },
    ];
    const ids = await Promise.all(
      bodies.map(async (body) => ((await c.submit(token, body).expect(202)).body as { jobId: string }).jobId),
    );
    const jobs = await Promise.all(ids.map((id) => finished(token, id)));
    const usage = await settledUsage(token, 3);

    const sum = (pick: (cost: CostBody) => number): number =>
      jobs.reduce((total, job) => total + pick(job.metadata.cost!), 0);
    expect(usage.month).toBe(new Date().toISOString().slice(0, 7));
    expect(usage.jobs).toEqual({
      total: 3,
      inFlight: 0,
      byStatus: { SUCCEEDED: 3, FAILED: 0, CANCELED: 0, TIMED_OUT: 0 },
    });
    expect(usage.gpuSeconds).toBeCloseTo(
      sum((cost) => cost.gpuSeconds),
      6,
    );
    expect(usage.usd).toBeCloseTo(
      sum((cost) => cost.usd),
      9,
    );
    expect(usage.budget).toBeNull();
    expect(usage.platform).toBeUndefined();
    expect(usage.users).toBeUndefined();
  });

  it('shows another month, empty, and refuses a month that is not YYYY-MM', async () => {
    const token = await tokenFor(stack.env, `months-${ulid()}`);
    await expect(c.usage(token, '?month=2020-02')).resolves.toMatchObject({
      month: '2020-02',
      jobs: { total: 0, inFlight: 0 },
      gpuSeconds: 0,
      usd: 0,
    });
    const bad = await c.http().get('/v1/usage?month=2020-13').set('authorization', `Bearer ${token}`).expect(400);
    expect(bad.body).toMatchObject({ type: '/problems/validation-error', errors: [{ field: 'month' }] });
    await c.http().get('/v1/usage').expect(401);
  });

  it('shows a user’s budget: limit, committed, remaining and when it resets', async () => {
    const budgeted = await startApi(stack.env, { LIMITS_USER_MONTHLY_BUDGET_USD: '2' });
    try {
      const b = client(() => budgeted);
      const token = await tokenFor(stack.env, `budget-${ulid()}`);
      const ids = [];
      for (const prompt of ['a', 'b']) {
        ids.push(((await b.submit(token, { prompt }).expect(202)).body as { jobId: string }).jobId);
      }
      const jobs = await Promise.all(ids.map((id) => finished(token, id)));
      const usage = await waitFor(async () => {
        const current = await b.usage(token);
        return current.jobs.inFlight === 0 ? current : undefined;
      });
      const spent = jobs.reduce((total, job) => total + job.metadata.cost!.usd, 0);
      expect(usage.budget).toEqual({
        limitUsd: 2,
        committedUsd: expect.closeTo(spent, 9),
        remainingUsd: expect.closeTo(2 - spent, 9),
        resetsAt: nextMonthStart(),
      });
    } finally {
      await budgeted.close();
    }
  });

  it('gives admins the platform totals and a paged per-user breakdown; a user gets neither', async () => {
    const [ann, ben] = [`ann-${ulid()}`, `ben-${ulid()}`];
    const annToken = await tokenFor(stack.env, ann);
    const benToken = await tokenFor(stack.env, ben);
    const admin = await tokenFor(stack.env, `admin-${ulid()}`, { admin: true });
    const ids = [
      ((await c.submit(annToken).expect(202)).body as { jobId: string }).jobId,
      ((await c.submit(benToken).expect(202)).body as { jobId: string }).jobId,
    ];
    await finished(annToken, ids[0]!);
    await finished(benToken, ids[1]!);
    await settledUsage(annToken, 1);
    await settledUsage(benToken, 1);

    const user = await c.usage(annToken, '?limit=1');
    expect(user).not.toHaveProperty('platform');
    expect(user).not.toHaveProperty('users');

    const first = await c.usage(admin);
    expect(first.platform).toMatchObject({ budget: null });
    const items = first.users!.items;
    const subs = items.map((item) => item.ownerId);
    expect(subs.length).toBeGreaterThanOrEqual(2);
    // every user's usage adds up to the platform's
    const platform = first.platform!;
    expect(first.users!.nextCursor).toBeNull();
    expect(platform.jobs.total).toBe(items.reduce((total, item) => total + item.jobs.total, 0));
    expect(platform.usd).toBeCloseTo(
      items.reduce((total, item) => total + item.usd, 0),
      9,
    );
    const annEntry = items.find((item) => item.jobs.total === 1 && item.ownerId === subFrom(annToken));
    expect(annEntry).toMatchObject({ jobs: { total: 1, byStatus: { SUCCEEDED: 1 } } });

    // one user per page: walking the cursors visits every user once, in order
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=1' : `?limit=1&cursor=${cursor}`;
      const page: UsageBody = await c.usage(admin, query);
      walked.push(...page.users!.items.map((item) => item.ownerId));
      cursor = page.users!.nextCursor;
    } while (cursor !== null);
    expect(walked).toEqual(subs);
  });

  it('costs a refused submission nothing and settles its hold at once (the api’s own final-state report)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imggen-catalog-'));
    const file = join(dir, 'models.json');
    await writeFile(
      file,
      JSON.stringify(
        BUILT_IN_MODELS.map((model) =>
          model.id === 'stable-diffusion-xl' ? { ...model, endpointName: 'imggen-no-such-endpoint' } : model,
        ),
      ),
    );
    const misconfigured = await startApi(stack.env, { MODELS_CATALOG_FILE: file });
    try {
      const m = client(() => misconfigured);
      const token = await tokenFor(stack.env, `refused-${ulid()}`);
      const refused = await m.submit(token).expect(500);
      const job = await m.job(token, (refused.body as Problem).jobId!);
      expect(job).toMatchObject({ status: 'FAILED', metadata: { cost: { gpuSeconds: 0, usd: 0 } } });
      expect(await m.usage(token)).toMatchObject({
        jobs: { total: 1, inFlight: 0, byStatus: { FAILED: 1 } },
        gpuSeconds: 0,
        usd: 0,
      });
    } finally {
      await misconfigured.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The `sub` of a token (the owner id), read without verifying: the api did that. */
function subFrom(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub;
}

describe('a monthly budget under 50 truly parallel submissions', () => {
  /** Room for K jobs and half of another one. */
  const K = 10;
  const PARALLEL = 50;
  let stack: TestStack;
  let env: Env;
  let api: NestFastifyApplication;
  const c = client(() => api);
  let admin: string;

  beforeAll(async () => {
    stack = await startTestStack();
    env = stack.env;
    const budgetUsd = ((K + 0.5) * SDXL_ESTIMATE.micros) / 1_000_000;
    // no worker yet: nothing settles, so every accepted job keeps its reservation during the burst
    api = await startApi(env, { MONTHLY_BUDGET_USD: String(budgetUsd) });
    admin = await tokenFor(env, `admin-${ulid()}`, { admin: true });
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  async function countItems(): Promise<{ jobs: number; accounts: number; requests: number }> {
    const resources = loadResourcesConfig(env);
    const dynamo = createDynamoDbDocumentClient(loadAwsConfig(env));
    const s3 = createS3Client(loadAwsConfig(env));
    const count = async (table: string) =>
      (await dynamo.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }))).Count ?? 0;
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: resources.requestsBucket }));
    return {
      jobs: await count(resources.jobsTable),
      accounts: await count(resources.accountsTable),
      requests: objects.KeyCount ?? 0,
    };
  }

  it('estimates a job without creating anything: no item, no object, no hold', async () => {
    const token = await tokenFor(env, `estimator-${ulid()}`);
    const before = await countItems();
    const response = await c
      .http()
      .post('/v1/jobs/estimate')
      .set('authorization', `Bearer ${token}`)
      .send({ prompt: 'an estimate', seed: 5 })
      .expect(200);
    expect(response.body).toEqual({
      params: expect.objectContaining({
        modelId: 'stable-diffusion-xl',
        steps: 30,
        width: 1024,
        height: 1024,
        seed: 5,
      }),
      cost: {
        gpuSeconds: SDXL_ESTIMATE.gpuSeconds,
        usd: SDXL_ESTIMATE.usd,
        instanceType: 'ml.g5.xlarge',
        hourlyUsd: 1.408,
      },
      wait: { warmSeconds: SDXL_ESTIMATE.gpuSeconds, coldSeconds: SDXL_ESTIMATE.gpuSeconds + 360 },
      budget: {
        remainingUsd: expect.closeTo(((K + 0.5) * SDXL_ESTIMATE.micros) / 1e6, 9),
        fits: true,
        resetsAt: nextMonthStart(),
      },
    });
    // the same validation as POST /v1/jobs
    const invalid = await c
      .http()
      .post('/v1/jobs/estimate')
      .set('authorization', `Bearer ${token}`)
      .send({ prompt: 'x', modelId: 'stability-sdxl', width: 1000 })
      .expect(400);
    expect(invalid.body).toMatchObject({ type: '/problems/validation-error' });
    await c.http().post('/v1/jobs/estimate').send({ prompt: 'x' }).expect(401);
    expect(await countItems()).toEqual(before);
  });

  it(`accepts at most K=${K} of ${PARALLEL} parallel jobs; the rest get 429 budget-exhausted; running jobs finish`, async () => {
    const tokens = await Promise.all(Array.from({ length: 5 }, (_, i) => tokenFor(env, `burst-${i}-${ulid()}`)));
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => c.submit(tokens[i % tokens.length]!, { prompt: `burst ${i}` })),
    );
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status !== 202);

    const usage = await c.usage(admin);
    const budget = usage.platform!.budget!;
    const overshootUsd = budget.committedUsd - budget.limitUsd;
    const overshootJobs = overshootUsd / SDXL_ESTIMATE.usd;
    // the lead reports this number (issue 6): how far the committed amount went past the budget during the burst
    console.log(
      `budget burst: ${PARALLEL} parallel submissions, budget $${budget.limitUsd} (room for ${K} jobs of ` +
        `$${SDXL_ESTIMATE.usd}): ${accepted.length} accepted, ${refused.length} refused; committed ` +
        `$${budget.committedUsd}; worst overshoot ${overshootUsd.toFixed(6)} USD = ${overshootJobs.toFixed(3)} jobs`,
    );

    expect(accepted.length).toBeLessThanOrEqual(K);
    // nothing settles during the burst, so the reservations alone decide: exactly K fit
    expect(accepted).toHaveLength(K);
    expect(overshootUsd).toBeLessThanOrEqual(0);
    expect(usage.platform!.jobs.inFlight).toBe(K);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({
        type: '/problems/budget-exhausted',
        status: 429,
        budget: 'platform',
        resetsAt: nextMonthStart(),
      });
      const retryAfter = Number(answer.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(Math.abs(Date.now() / 1000 + retryAfter - Date.parse(nextMonthStart()) / 1000)).toBeLessThan(120);
    }
    // a refused job left nothing behind
    expect((await countItems()).jobs).toBe(K);

    // the estimate says it no longer fits
    const estimate = await c
      .http()
      .post('/v1/jobs/estimate')
      .set('authorization', `Bearer ${tokens[0]!}`)
      .send({ prompt: 'one more?' })
      .expect(200);
    expect(estimate.body).toMatchObject({ budget: { fits: false } });

    // running jobs finish; settling replaces each reservation by the (near-zero) real cost, which frees the budget
    const worker = await startWorker(env);
    try {
      const owned = answers.flatMap((answer, index) =>
        answer.status === 202
          ? [{ token: tokens[index % tokens.length]!, jobId: (answer.body as { jobId: string }).jobId }]
          : [],
      );
      for (const { token, jobId } of owned) {
        await waitFor(async () => ((await c.job(token, jobId)).status === 'SUCCEEDED' ? true : undefined), {
          timeoutMs: 20_000,
          intervalMs: 50,
          description: `job ${jobId} to finish`,
        });
      }
      const settled = await waitFor(async () => {
        const current = await c.usage(admin);
        return current.platform!.jobs.inFlight === 0 ? current : undefined;
      });
      expect(settled.platform!.jobs.byStatus.SUCCEEDED).toBe(K);
      expect(settled.platform!.budget!.committedUsd).toBeCloseTo(settled.platform!.usd, 9);
      // the user's own slot and hold are given back side by side with the platform's, a moment apart at most
      await waitFor(async () => ((await c.submit(tokens[0]!)).status === 202 ? true : undefined), {
        description: 'a new job accepted once the finished ones are settled',
      });
    } finally {
      await worker.close();
    }
  }, 60_000);

  it('refuses with budget "user" when the user’s own budget is spent, not the platform’s', async () => {
    const userApi = await startApi(env, {
      LIMITS_USER_MONTHLY_BUDGET_USD: String((2.5 * SDXL_ESTIMATE.micros) / 1_000_000),
    });
    try {
      const u = client(() => userApi);
      const token = await tokenFor(env, `capped-${ulid()}`);
      const answers = await Promise.all(Array.from({ length: 10 }, () => u.submit(token)));
      expect(answers.filter((answer) => answer.status === 202)).toHaveLength(2);
      for (const answer of answers.filter((a) => a.status !== 202)) {
        expect(answer.body).toMatchObject({ status: 429, type: '/problems/budget-exhausted', budget: 'user' });
      }
    } finally {
      await userApi.close();
    }
  });
});
