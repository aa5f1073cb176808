import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ulid } from 'ulid';
import { createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { waitFor } from '#libs/testing';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface KeyBody {
  id: string;
  prefix: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  monthlyBudgetUsd: number | null;
  requestsPerMinute: number | null;
  key?: string;
}
interface KeyPage {
  items: KeyBody[];
  nextCursor: string | null;
}

const STARTUP_TIMEOUT_MS = 30_000;
jest.setTimeout(30_000);
/** Short, so that the cross-instance revocation test is quick; the bound it proves is this TTL. */
const CACHE_TTL_SECONDS = 2;
const KEY_SHAPE = /^igk_live_[0-9A-HJKMNP-TV-Z]{26}_[0-9A-Za-z]{49}$/;

/**
 * API keys over HTTP with real tokens and real keys, on two api instances sharing one stack (as behind the ALB):
 * creation, use, scopes, expiry, revocation (at once on the instance that revokes, within the cache TTL on the
 * other), the key's own limits, and listing.
 */
describe('API keys', () => {
  let stack: TestStack;
  let apiA: NestFastifyApplication;
  let apiB: NestFastifyApplication;
  let worker: INestApplicationContext;
  let alice: string;
  let jobs: JobRepository;

  beforeAll(async () => {
    stack = await startTestStack();
    const overrides = { API_KEYS_CACHE_TTL_SECONDS: String(CACHE_TTL_SECONDS) };
    [apiA, apiB] = await Promise.all([startApi(stack.env, overrides), startApi(stack.env, overrides)]);
    worker = await startWorker(stack.env);
    alice = await tokenFor(stack.env, `alice-${ulid()}`);
    jobs = new JobRepository(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).jobsTable,
    );
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await apiA?.close();
    await apiB?.close();
    await stack?.stop();
  });

  const on = (api: NestFastifyApplication) => request(api.getHttpServer());
  const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

  async function createKey(token: string, body: object, api = apiA): Promise<KeyBody & { key: string }> {
    const response = await on(api).post('/v1/keys').set(bearer(token)).send(body).expect(201);
    return response.body as KeyBody & { key: string };
  }

  it('creates a key shown once: igk_live_ prefix, Location, metadata', async () => {
    const response = await on(apiA)
      .post('/v1/keys')
      .set(bearer(alice))
      .send({ name: 'ci-nightly', scopes: ['jobs:write', 'jobs:read'], monthlyBudgetUsd: 25, requestsPerMinute: 60 })
      .expect(201);
    const body = response.body as KeyBody;
    expect(body.key).toMatch(KEY_SHAPE);
    expect(body.key!.startsWith(`${body.prefix}_`)).toBe(true);
    expect(response.headers.location).toBe(`/v1/keys/${body.id}`);
    expect(body).toMatchObject({
      name: 'ci-nightly',
      scopes: ['jobs:write', 'jobs:read'],
      lastUsedAt: null,
      expiresAt: null,
      monthlyBudgetUsd: 25,
      requestsPerMinute: 60,
      prefix: `igk_live_${body.id}`,
    });
  });

  it('submits a job with a key and polls it to the end; the job records the key', async () => {
    const { id, key } = await createKey(alice, { name: 'backend', scopes: ['jobs:read', 'jobs:write'] });
    const submitted = await on(apiA).post('/v1/jobs').set(bearer(key)).send({ prompt: 'a lighthouse' }).expect(202);
    const jobId = (submitted.body as { jobId: string }).jobId;
    const final = await waitFor(
      async () => {
        const job = (await on(apiB).get(`/v1/jobs/${jobId}`).set(bearer(key)).expect(200)).body as { status: string };
        return ['SUCCEEDED', 'FAILED'].includes(job.status) ? job : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: 'the job submitted with a key to finish' },
    );
    expect(final.status).toBe('SUCCEEDED');
    // the key acts as its owner: the owner sees the job with their own token
    await on(apiA).get(`/v1/jobs/${jobId}`).set(bearer(alice)).expect(200);
    expect((await jobs.get(jobId))?.apiKeyId).toBe(id);
    // recorded in the background, at most once a minute
    const lastUsedAt = await waitFor(
      async () => {
        const listed = (await on(apiA).get('/v1/keys?limit=100').set(bearer(alice)).expect(200)).body as KeyPage;
        return listed.items.find((item) => item.id === id)?.lastUsedAt ?? undefined;
      },
      { description: 'lastUsedAt to be recorded' },
    );
    expect(Date.parse(lastUsedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('answers 403 naming the scope a key lacks, and a JWT user has every scope', async () => {
    const { key } = await createKey(alice, { name: 'reader', scopes: ['jobs:read'] });
    const usage = await on(apiA).get('/v1/usage').set(bearer(key)).expect(403);
    expect(usage.body).toMatchObject({ type: '/problems/forbidden', status: 403 });
    expect((usage.body as { detail: string }).detail).toContain('usage:read');
    const submit = await on(apiA).post('/v1/jobs').set(bearer(key)).send({ prompt: 'x' }).expect(403);
    expect((submit.body as { detail: string }).detail).toContain('jobs:write');
    await on(apiA).post('/v1/jobs/estimate').set(bearer(key)).send({ prompt: 'x' }).expect(403);
    await on(apiA).get('/v1/jobs').set(bearer(key)).expect(200);
    await on(apiA).get('/v1/models').set(bearer(key)).expect(200);
    await on(apiA).get('/v1/usage').set(bearer(alice)).expect(200);
  });

  it('lets no key create, list or revoke keys (403), whatever its scopes', async () => {
    const { id, key } = await createKey(alice, { name: 'all', scopes: ['jobs:read', 'jobs:write', 'usage:read'] });
    const created = await on(apiA)
      .post('/v1/keys')
      .set(bearer(key))
      .send({ name: 'x', scopes: ['jobs:read'] });
    expect(created.status).toBe(403);
    expect((created.body as { detail: string }).detail).toMatch(/API keys cannot use this route/);
    await on(apiA).get('/v1/keys').set(bearer(key)).expect(403);
    await on(apiA).delete(`/v1/keys/${id}`).set(bearer(key)).expect(403);
    await on(apiA).get('/v1/jobs').set(bearer(key)).expect(200);
  });

  it('refuses an expired key with 401', async () => {
    const expiresAt = new Date(Date.now() + 2000).toISOString();
    const { key } = await createKey(alice, { name: 'short-lived', scopes: ['jobs:read'], expiresAt });
    await waitFor(async () => ((await on(apiA).get('/v1/jobs').set(bearer(key))).status === 401 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 100,
      description: 'the key to expire',
    });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    const refused = await on(apiB).get('/v1/jobs').set(bearer(key)).expect(401);
    expect(refused.body).toMatchObject({ type: '/problems/unauthorized', status: 401 });
  });

  it('revokes at once on the instance that revoked, and on another instance within the cache TTL', async () => {
    const { id, key } = await createKey(alice, { name: 'to-revoke', scopes: ['jobs:read'] });
    // both instances have the key in their caches
    await on(apiA).get('/v1/jobs').set(bearer(key)).expect(200);
    await on(apiB).get('/v1/jobs').set(bearer(key)).expect(200);
    await on(apiA).delete(`/v1/keys/${id}`).set(bearer(alice)).expect(204);
    const revokedAt = Date.now();
    await on(apiA).get('/v1/jobs').set(bearer(key)).expect(401);
    await waitFor(async () => ((await on(apiB).get('/v1/jobs').set(bearer(key))).status === 401 ? true : undefined), {
      timeoutMs: CACHE_TTL_SECONDS * 1000 + 3000,
      intervalMs: 50,
      description: 'the other instance to refuse',
    });
    // the bound, with room for a slow machine's request
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(CACHE_TTL_SECONDS * 1000 + 1500);
    const listed = (await on(apiA).get('/v1/keys?limit=100').set(bearer(alice)).expect(200)).body as KeyPage;
    expect(listed.items.map((item) => item.id)).not.toContain(id);
    await on(apiB).delete(`/v1/keys/${id}`).set(bearer(alice)).expect(404);
  });

  it('answers 404 for another user’s key and a missing one, and leaves the key working', async () => {
    const { id, key } = await createKey(alice, { name: 'mine', scopes: ['jobs:read'] });
    const mallory = await tokenFor(stack.env, `mallory-${ulid()}`);
    await on(apiA).delete(`/v1/keys/${id}`).set(bearer(mallory)).expect(404);
    await on(apiA).delete(`/v1/keys/${ulid()}`).set(bearer(alice)).expect(404);
    await on(apiA).delete('/v1/keys/not-a-key-id').set(bearer(alice)).expect(404);
    await on(apiA).get('/v1/jobs').set(bearer(key)).expect(200);
  });

  it('lists keys page by page, newest first, never with the secret or its hash', async () => {
    const token = await tokenFor(stack.env, `lister-${ulid()}`);
    const created: Array<KeyBody & { key: string }> = [];
    for (const name of ['one', 'two', 'three']) {
      created.push(await createKey(token, { name, scopes: ['jobs:read'] }));
    }
    const first = await on(apiA).get('/v1/keys?limit=2').set(bearer(token)).expect(200);
    const firstPage = first.body as KeyPage;
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const second = await on(apiA)
      .get('/v1/keys')
      .query({ limit: 2, cursor: firstPage.nextCursor })
      .set(bearer(token))
      .expect(200);
    const secondPage = second.body as KeyPage;
    expect(secondPage.nextCursor).toBeNull();
    const ids = [...firstPage.items, ...secondPage.items].map((item) => item.id);
    expect(new Set(ids)).toEqual(new Set(created.map((key) => key.id)));
    for (const text of [first.text, second.text]) {
      for (const { key } of created) {
        expect(text).not.toContain(key.slice(-49));
      }
      expect(text).not.toMatch(/"(key|hash)"/);
    }
    // a cursor continues only its own listing
    await on(apiA).get('/v1/keys').query({ cursor: firstPage.nextCursor }).set(bearer(alice)).expect(400);
  });

  it('refuses bad bodies with 400 and stores nothing', async () => {
    const token = await tokenFor(stack.env, `careless-${ulid()}`);
    const far = new Date(Date.now() + 400 * 86_400_000).toISOString();
    for (const body of [
      {},
      { scopes: ['jobs:read'] },
      { name: '', scopes: ['jobs:read'] },
      { name: 'x'.repeat(101), scopes: ['jobs:read'] },
      { name: 'two\nlines', scopes: ['jobs:read'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['admin'] },
      { name: 'x', scopes: ['jobs:read', 'jobs:read'] },
      { name: 'x', scopes: 'jobs:read' },
      { name: 'x', scopes: ['jobs:read'], expiresAt: '2020-01-01T00:00:00Z' },
      { name: 'x', scopes: ['jobs:read'], expiresAt: far },
      { name: 'x', scopes: ['jobs:read'], expiresAt: '2027-01-01' },
      { name: 'x', scopes: ['jobs:read'], monthlyBudgetUsd: 0 },
      { name: 'x', scopes: ['jobs:read'], requestsPerMinute: 1.5 },
      { name: 'x', scopes: ['jobs:read'], owner: 'someone-else' },
    ]) {
      const response = await on(apiA).post('/v1/keys').set(bearer(token)).send(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    expect(((await on(apiA).get('/v1/keys').set(bearer(token)).expect(200)).body as KeyPage).items).toEqual([]);
  });

  it('applies the key’s own requests per minute on top of its owner’s', async () => {
    const { key } = await createKey(alice, { name: 'throttled', scopes: ['jobs:read'], requestsPerMinute: 2 });
    const answers = await Promise.all(Array.from({ length: 4 }, () => on(apiA).get('/v1/models').set(bearer(key))));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 429, 429]);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.body).toMatchObject({ 'violated-policies': ['key-requests-per-minute'] });
    // the owner's own token is not limited by the key's
    await on(apiA).get('/v1/models').set(bearer(alice)).expect(200);
  });

  it('refuses a job over the key’s monthly budget with 429 budget `key`', async () => {
    const { key } = await createKey(alice, { name: 'frugal', scopes: ['jobs:write'], monthlyBudgetUsd: 0.000001 });
    const refused = await on(apiA).post('/v1/jobs').set(bearer(key)).send({ prompt: 'a lighthouse' }).expect(429);
    expect(refused.body).toMatchObject({ type: '/problems/budget-exhausted', budget: 'key' });
    await on(apiA).post('/v1/jobs').set(bearer(alice)).send({ prompt: 'a lighthouse' }).expect(202);
  });
});
