import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ulid } from 'ulid';
import { createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { InFlightRepository } from '#libs/quotas';
import { completedNotification, waitFor } from '#libs/testing';
import { loadWorkerConfig } from '../../apps/worker/src/config/worker.config.js';
import { NotificationHandler } from '../../apps/worker/src/notifications/notification.handler.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { unreachableUrl } from '../support/closed-port.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

type Fields = Record<string, Record<string, string>>;

/** `"a";q=1;w=60, "b";r=2` → { a: { q: '1', w: '60' }, b: { r: '2' } } */
function parseFields(value: string | undefined): Fields {
  const fields: Fields = {};
  for (const item of String(value ?? '')
    .split(/,\s*/)
    .filter(Boolean)) {
    const [name, ...parameters] = item.split(';');
    fields[JSON.parse(name!) as string] = Object.fromEntries(parameters.map((p) => p.split('=') as [string, string]));
  }
  return fields;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

describe('limits shared by every api instance (DynamoDB)', () => {
  let stack: TestStack;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    for (const app of apps.reverse()) {
      await app.close();
    }
    await stack?.stop();
  });

  async function api(overrides: Record<string, string>): Promise<NestFastifyApplication> {
    const app = await startApi(stack.env, overrides);
    apps.push(app);
    return app;
  }

  const as = (app: NestFastifyApplication, token: string, method: 'get' | 'post', path: string, body?: object) => {
    const pending = request(app.getHttpServer())[method](path).set('authorization', `Bearer ${token}`);
    return (body === undefined ? pending : pending.send(body)).then((response): Answer => ({
      status: response.status,
      headers: response.headers,
      body: response.body as Record<string, unknown>,
    }));
  };

  describe('requests per minute', () => {
    let limited: NestFastifyApplication;
    let twin: NestFastifyApplication;

    beforeAll(async () => {
      limited = await api({ LIMITS_REQUESTS_PER_MINUTE: '5' });
      twin = await api({ LIMITS_REQUESTS_PER_MINUTE: '5' });
    });

    it('counts every authenticated answer, errors included, and refuses the 6th with 429 and Retry-After', async () => {
      const token = await tokenFor(stack.env, `erin-${ulid()}`);
      const answers = [
        await as(limited, token, 'get', '/v1/jobs'),
        await as(limited, token, 'get', `/v1/jobs/${ulid()}`),
        await as(limited, token, 'get', '/v1/jobs?limit=0'),
        await as(limited, token, 'get', '/v1/models'),
        await as(limited, token, 'post', '/v1/jobs', { width: 512 }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 404, 400, 200, 400]);
      answers.forEach((answer, index) => {
        expect(parseFields(answer.headers['ratelimit-policy'])).toEqual({
          'requests-per-minute': { q: '5', w: '60' },
        });
        const limit = parseFields(answer.headers.ratelimit)['requests-per-minute']!;
        expect(limit.r).toBe(String(4 - index));
        expect(Number(limit.t)).toBeGreaterThan(0);
        expect(Number(limit.t)).toBeLessThanOrEqual(60);
      });

      const refused = await as(limited, token, 'get', '/v1/jobs');
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({
        type: '/problems/rate-limited',
        status: 429,
        'violated-policies': ['requests-per-minute'],
      });
      const limit = parseFields(refused.headers.ratelimit)['requests-per-minute']!;
      expect(limit.r).toBe('0');
      // Retry-After never points before the end of the effective window
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(Math.max(1, Number(limit.t)));
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);

      // another user has a budget of their own
      await expect(as(limited, await tokenFor(stack.env, `other-${ulid()}`), 'get', '/v1/jobs')).resolves.toMatchObject(
        { status: 200 },
      );
    });

    it('shares one budget between two api instances under parallel requests', async () => {
      const token = await tokenFor(stack.env, `frank-${ulid()}`);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, index) => as(index % 2 === 0 ? limited : twin, token, 'get', '/v1/jobs')),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(7);
      const remaining = answers
        .filter((a) => a.status === 200)
        .map((a) => parseFields(a.headers.ratelimit)['requests-per-minute']!.r)
        .sort();
      expect(remaining).toEqual(['0', '1', '2', '3', '4']);
    });

    it('sends no RateLimit fields without a caller, nor to an admin, who is not limited', async () => {
      const unauthenticated = await request(limited.getHttpServer()).get('/v1/jobs').expect(401);
      expect(unauthenticated.headers.ratelimit).toBeUndefined();
      const health = await request(limited.getHttpServer()).get('/health/live').expect(200);
      expect(health.headers.ratelimit).toBeUndefined();

      const admin = await tokenFor(stack.env, `root-${ulid()}`, { admin: true });
      const answers = await Promise.all(Array.from({ length: 10 }, () => as(limited, admin, 'get', '/v1/jobs')));
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 10 }, () => 200));
      for (const answer of answers) {
        expect(answer.headers.ratelimit).toBeUndefined();
        expect(answer.headers['ratelimit-policy']).toBeUndefined();
      }
    });
  });

  it('allows two jobs a day: an invalid body costs nothing, the third job is 429 until the window ends', async () => {
    const daily = await api({ LIMITS_JOBS_PER_DAY: '2' });
    const token = await tokenFor(stack.env, `gina-${ulid()}`);

    // refused by the DTO, and by the model catalog (which the service consults before any quota)
    for (const body of [{ prompt: '' }, { prompt: 'x', modelId: 'no-such-model' }, { prompt: 'x', steps: 10_000 }]) {
      const invalid = await as(daily, token, 'post', '/v1/jobs', body);
      expect(invalid.status).toBe(400);
      expect(parseFields(invalid.headers.ratelimit)['jobs-per-day']).toBeUndefined();
    }

    const first = await as(daily, token, 'post', '/v1/jobs', { prompt: 'one' });
    const second = await as(daily, token, 'post', '/v1/jobs', { prompt: 'two' });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(parseFields(first.headers['ratelimit-policy'])['jobs-per-day']).toEqual({ q: '2', w: '86400' });
    expect(parseFields(first.headers.ratelimit)['jobs-per-day']!.r).toBe('1');
    expect(parseFields(second.headers.ratelimit)['jobs-per-day']!.r).toBe('0');

    const third = await as(daily, token, 'post', '/v1/jobs', { prompt: 'three' });
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ type: '/problems/quota-exceeded', 'violated-policies': ['jobs-per-day'] });
    const retryAfter = Number(third.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(86_000);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(parseFields(third.headers.ratelimit)['jobs-per-day']).toEqual({ r: '0', t: String(retryAfter) });
    // the refused one is not counted: the day still holds exactly two
    const again = await as(daily, token, 'post', '/v1/jobs', { prompt: 'four' });
    expect(again.status).toBe(429);
  });

  it('answers 503, never 500 nor a free pass, when the counters cannot be reached', async () => {
    const blind = await api({ LIMITS_REQUESTS_PER_MINUTE: '5', JOBS_RATE_LIMITS_TABLE: 'imggen-test-no-such-table' });
    const answer = await as(blind, await tokenFor(stack.env, `hank-${ulid()}`), 'get', '/v1/models');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ type: '/problems/dependency-unavailable' });
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('gives the day’s job and the slot back when the submission fails before its job exists', async () => {
    const limits = { LIMITS_JOBS_PER_DAY: '1', LIMITS_JOBS_IN_FLIGHT: '1' };
    const storageDown = await api({ ...limits, AWS_ENDPOINT_URL_S3: await unreachableUrl() });
    const healthy = await api(limits);
    const token = await tokenFor(stack.env, `ivan-${ulid()}`);

    const failed = await as(storageDown, token, 'post', '/v1/jobs', { prompt: 'lost' });
    expect(failed.status).toBe(503);
    expect(failed.body.jobId).toBeUndefined();
    // both quotas are whole again: the one job of the day and the one slot
    const accepted = await as(healthy, token, 'post', '/v1/jobs', { prompt: 'kept' });
    expect(accepted.status).toBe(202);
    expect(parseFields(accepted.headers.ratelimit)).toMatchObject({
      'jobs-per-day': { r: '0' },
      'jobs-in-flight': { r: '0' },
    });
  });

  it('releases the slot of a submission SageMaker refused (the api makes that job FAILED)', async () => {
    const refusing = await api({
      LIMITS_JOBS_IN_FLIGHT: '1',
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: await unreachableUrl(),
    });
    const token = await tokenFor(stack.env, `judy-${ulid()}`);
    const refused = await as(refusing, token, 'post', '/v1/jobs', { prompt: 'never sent' });
    expect(refused.status).toBe(503);
    const client = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    const resources = loadResourcesConfig(stack.env);
    const failed = await new JobRepository(client, resources.jobsTable).get(refused.body.jobId as string);
    expect(failed?.status).toBe('FAILED');
    // released by the api's own final-state listener, not left for a later clean-up
    await expect(new InFlightRepository(client, resources.accountsTable).members(failed!.ownerId)).resolves.toEqual([]);
  });

  // the worker starts, renders and finalizes within these tests: more than jest's default 5 s on a busy machine
  describe('jobs in flight', () => {
    let inFlight: NestFastifyApplication;
    let worker: INestApplicationContext | undefined;
    let jobs: JobRepository;
    let reservations: InFlightRepository;

    beforeAll(async () => {
      inFlight = await api({ LIMITS_JOBS_IN_FLIGHT: '3' });
      const client = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
      const resources = loadResourcesConfig(stack.env);
      jobs = new JobRepository(client, resources.jobsTable);
      reservations = new InFlightRepository(client, resources.accountsTable);
    });

    afterAll(async () => {
      await worker?.close();
    });

    const waitFinal = (jobIds: string[]) =>
      waitFor(
        async () => {
          const found = await Promise.all(jobIds.map((jobId) => jobs.get(jobId)));
          return found.every((job) => job && ['SUCCEEDED', 'FAILED'].includes(job.status)) ? true : undefined;
        },
        { timeoutMs: 20_000, description: 'the jobs to be final' },
      );

    it('accepts exactly the limit of 20 parallel submissions, and more once the worker finishes them', async () => {
      const token = await tokenFor(stack.env, `carol-${ulid()}`);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) => as(inFlight, token, 'post', '/v1/jobs', { prompt: `p${index}` })),
      );
      const accepted = answers.filter((a) => a.status === 202);
      const refused = answers.filter((a) => a.status === 429);
      expect(accepted).toHaveLength(3);
      expect(refused).toHaveLength(17);
      for (const answer of refused) {
        expect(answer.body).toMatchObject({
          type: '/problems/quota-exceeded',
          'violated-policies': ['jobs-in-flight'],
        });
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
        expect(parseFields(answer.headers.ratelimit)['jobs-in-flight']).toEqual({ r: '0' });
      }
      expect(parseFields(accepted[0]!.headers['ratelimit-policy'])['jobs-in-flight']).toEqual({
        q: '3',
        qu: '"concurrent-requests"',
      });
      expect(accepted.map((a) => parseFields(a.headers.ratelimit)['jobs-in-flight']!.r).sort()).toEqual([
        '0',
        '1',
        '2',
      ]);
      // nothing was written for a refused submission
      const listed = await as(inFlight, token, 'get', '/v1/jobs?limit=100');
      expect((listed.body.items as unknown[]).length).toBe(3);

      // no worker yet: the jobs stay QUEUED and hold their slots
      await expect(as(inFlight, token, 'post', '/v1/jobs', { prompt: 'still full' })).resolves.toMatchObject({
        status: 429,
      });
      worker = await startWorker(stack.env);
      await waitFinal(accepted.map((a) => a.body.jobId as string));
      // the worker released each slot as it finalized the job (not left to the api's clean-up of a full set)
      const { ownerId } = (await jobs.get(accepted[0]!.body.jobId as string))!;
      await waitFor(async () => ((await reservations.members(ownerId)).length === 0 ? true : undefined), {
        description: 'the slots to be released',
      });
      const after = await as(inFlight, token, 'post', '/v1/jobs', { prompt: 'room again' });
      expect(after.status).toBe(202);
      await waitFinal([after.body.jobId as string]);
    }, 90_000);

    it('releases a job once when its notification is delivered twice', async () => {
      const token = await tokenFor(stack.env, `dave-${ulid()}`);
      const first = await as(inFlight, token, 'post', '/v1/jobs', { prompt: 'finished' });
      expect(first.status).toBe(202);
      const finishedId = first.body.jobId as string;
      await waitFinal([finishedId]);
      await worker!.close();
      worker = undefined;

      // two jobs in flight that nobody finalizes while the worker is down
      for (const prompt of ['b', 'c']) {
        await expect(as(inFlight, token, 'post', '/v1/jobs', { prompt })).resolves.toMatchObject({ status: 202 });
      }
      // the finished job's notification, delivered twice to the worker's handler
      const handlerOnly = await NestFactory.createApplicationContext(
        WorkerModule.register(loadWorkerConfig(stack.env)),
        { logger: false },
      );
      try {
        const finished = await jobs.get(finishedId);
        const body = JSON.stringify(
          completedNotification(finishedId, finished!.outputLocation!, finished!.endpointName),
        );
        const handler = handlerOnly.get(NotificationHandler);
        for (const messageId of ['dup-1', 'dup-2']) {
          await expect(handler.handle({ messageId, receiptHandle: messageId, body, receiveCount: 1 })).resolves.toEqual(
            {
              action: 'delete',
              outcome: 'already-final',
            },
          );
        }
      } finally {
        await handlerOnly.close();
      }
      // b and c still hold two of the three slots
      await expect(as(inFlight, token, 'post', '/v1/jobs', { prompt: 'd' })).resolves.toMatchObject({ status: 202 });
      await expect(as(inFlight, token, 'post', '/v1/jobs', { prompt: 'e' })).resolves.toMatchObject({ status: 429 });
    }, 90_000);
  });
});
