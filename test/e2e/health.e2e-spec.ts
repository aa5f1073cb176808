import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { JobRepository, ObjectStore } from '#libs/aws';
import { unreachableUrl } from '../support/closed-port.js';
import { startApi } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

describe('GET /health/ready', () => {
  let stack: TestStack;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A fresh api for each test: each has its own readiness cache. */
  async function api(overrides: Record<string, string> = {}): Promise<NestFastifyApplication> {
    const app = await startApi(stack.env, overrides);
    apps.push(app);
    return app;
  }

  it('is public, uncacheable, and checks the jobs table and the buckets only', async () => {
    const response = await request((await api()).getHttpServer())
      .get('/health/ready')
      .expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({
      status: 'ok',
      info: { dynamodb: { status: 'up' }, s3: { status: 'up' } },
      error: {},
      details: { dynamodb: { status: 'up' }, s3: { status: 'up' } },
    });
  });

  it('stays ready when SQS, which only the worker uses, is down', async () => {
    const app = await api({ AWS_ENDPOINT_URL_SQS: await unreachableUrl() });
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('answers 503 saying which dependency is down, with no host or SDK text', async () => {
    const down = await unreachableUrl();
    const app = await api({ AWS_ENDPOINT_URL_DYNAMODB: down, AWS_ENDPOINT_URL_S3: down });
    const response = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(response.body).toEqual({
      status: 'error',
      info: {},
      error: { dynamodb: { status: 'down' }, s3: { status: 'down' } },
      details: { dynamodb: { status: 'down' }, s3: { status: 'down' } },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|localhost|ECONN|AWS SDK|message/i);
  });

  it('answers a burst of requests from one probe', async () => {
    const app = await api();
    const table = jest.spyOn(app.get(JobRepository), 'ping');
    const buckets = jest.spyOn(app.get(ObjectStore), 'ping');
    // the answer is reused for READINESS_CACHE_MS: a frozen clock keeps a slow machine inside that window
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);

    const burst = await Promise.all(
      Array.from({ length: 25 }, () => request(app.getHttpServer()).get('/health/ready')),
    );
    for (let index = 0; index < 25; index += 1) {
      await request(app.getHttpServer()).get('/health/ready').expect(200);
    }

    expect(burst.map((response) => response.status)).toEqual(Array.from({ length: 25 }, () => 200));
    expect(table).toHaveBeenCalledTimes(1);
    // the requests bucket and the images bucket, once each
    expect(buckets).toHaveBeenCalledTimes(2);
  });
});
