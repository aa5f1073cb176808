import { existsSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { chromium } from 'playwright-core';
import request from 'supertest';
import { ulid } from 'ulid';
import type { Env } from '#libs/config';
import { createApiApp } from '../../apps/api/src/app.factory.js';
import { loadApiConfig } from '../../apps/api/src/config/api.config.js';
import { startApi, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: Array<{ field: string; message: string }>;
}

const DASHBOARD = 'http://localhost:5173';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the HTTP edge: CORS, security headers, clear 4xx answers, proxies', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    token = await tokenFor(stack.env, `edge-${ulid()}`);
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  const http = (app: NestFastifyApplication = api) => request(app.getHttpServer());
  const post = (body: unknown) =>
    http()
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .send(body as object);

  describe('CORS', () => {
    it('answers the dashboard preflight for a job submission', async () => {
      const response = await http()
        .options('/v1/jobs')
        .set('origin', DASHBOARD)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization,content-type,idempotency-key,prefer')
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(DASHBOARD);
      expect(response.headers['access-control-allow-methods']).toContain('POST');
      const allowed = response.headers['access-control-allow-headers']?.toLowerCase().split(/\s*,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'prefer']));
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(response.headers.vary).toMatch(/origin/i);
    });

    it('answers the preflights for deleting a job and for resuming an event stream', async () => {
      const deletion = await http()
        .options('/v1/jobs/01JZ0000000000000000000000')
        .set('origin', DASHBOARD)
        .set('access-control-request-method', 'DELETE')
        .set('access-control-request-headers', 'authorization')
        .expect(204);
      expect(deletion.headers['access-control-allow-methods']).toContain('DELETE');
      const resume = await http()
        .options('/v1/jobs/events')
        .set('origin', DASHBOARD)
        .set('access-control-request-method', 'GET')
        .set('access-control-request-headers', 'authorization,last-event-id')
        .expect(204);
      expect(resume.headers['access-control-allow-headers']?.toLowerCase()).toContain('last-event-id');
    });

    it('lets the dashboard read the answer and its headers, errors included', async () => {
      const accepted = await post({ prompt: 'a lighthouse' }).set('origin', DASHBOARD).expect(202);
      expect(accepted.headers['access-control-allow-origin']).toBe(DASHBOARD);
      const exposed = accepted.headers['access-control-expose-headers']?.toLowerCase().split(/\s*,\s*/);
      expect(exposed).toEqual(
        expect.arrayContaining([
          'location',
          'retry-after',
          'x-request-id',
          'ratelimit',
          'ratelimit-policy',
          'idempotent-replayed',
        ]),
      );
      const unauthorized = await http().get('/v1/jobs').set('origin', DASHBOARD).expect(401);
      expect(unauthorized.headers['access-control-allow-origin']).toBe(DASHBOARD);
    });

    it('gives other origins nothing', async () => {
      const response = await http()
        .options('/v1/jobs')
        .set('origin', 'https://evil.example')
        .set('access-control-request-method', 'POST');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const get = await http().get('/v1/models').set('origin', 'https://evil.example');
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('allows the origins of API_CORS_ORIGINS instead of the local dashboard', async () => {
      const cloudFront = 'https://d111111abcdef8.cloudfront.net';
      const configured = await startApi(stack.env, { API_CORS_ORIGINS: cloudFront });
      try {
        const preflight = (origin: string) =>
          http(configured)
            .options('/v1/jobs')
            .set('origin', origin)
            .set('access-control-request-method', 'GET')
            .then((response) => response.headers['access-control-allow-origin']);
        expect(await preflight(cloudFront)).toBe(cloudFront);
        expect(await preflight(DASHBOARD)).toBeUndefined();
      } finally {
        await configured.close();
      }
    });
  });

  describe('security headers', () => {
    it('are on every answer, errors and 404s included', async () => {
      for (const response of [
        await http().get('/v1/models').set('authorization', `Bearer ${token}`).expect(200),
        await http().get('/v1/jobs').expect(401),
        await http().get('/nowhere').expect(404),
        await http().get('/docs').expect(200),
      ]) {
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
        expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'");
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    const browserTest = existsSync(CHROMIUM) ? it : it.skip;
    browserTest(
      `let Swagger UI render in a browser without CSP violations (${CHROMIUM})`,
      async () => {
        await api.listen(0, '127.0.0.1');
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        });
        try {
          const page = await browser.newPage();
          const problems: string[] = [];
          page.on('console', (message) => {
            if (message.type() === 'error') {
              problems.push(message.text());
            }
          });
          page.on('pageerror', (error) => problems.push(error.message));
          page.on('requestfailed', (failed) => problems.push(`${failed.url()}: ${failed.failure()?.errorText}`));
          await page.goto(`${await api.getUrl()}/docs`);
          await page.getByText('imggen API').first().waitFor({ timeout: 15_000 });
          await page.getByText('/v1/jobs').first().waitFor();
          expect(problems).toEqual([]);
        } finally {
          await browser.close();
        }
      },
      60_000,
    );
  });

  describe('400 answers name the field and what it expects', () => {
    it.each<[string, unknown, string, string]>([
      ['a missing prompt', {}, 'prompt', 'prompt is required'],
      ['a null prompt', { prompt: null }, 'prompt', 'prompt is required'],
      ['a prompt that is not a string', { prompt: 42 }, 'prompt', 'prompt must be a string'],
      ['a blank prompt', { prompt: '  ' }, 'prompt', 'prompt must not be empty'],
      ['a prompt too long', { prompt: `${'x'.repeat(1999)}🌅🌅` }, 'prompt', 'prompt must be at most 2000 characters'],
      ['a seed as a string', { prompt: 'p', seed: '42' }, 'seed', 'seed must be an integer from 0 to 4294967295'],
      ['a fractional seed', { prompt: 'p', seed: 1.5 }, 'seed', 'seed must be an integer from 0 to 4294967295'],
      ['steps as a string', { prompt: 'p', steps: '20' }, 'steps', 'steps must be an integer from 1 to 100'],
      ['steps beyond every model', { prompt: 'p', steps: 149 }, 'steps', 'steps must be an integer from 1 to 100'],
      ['a width off the grid', { prompt: 'p', width: 1001 }, 'width', 'width must be a multiple of 8 from 256 to 1536'],
      [
        'a height too large',
        { prompt: 'p', height: 2048 },
        'height',
        'height must be a multiple of 8 from 256 to 1536',
      ],
      [
        'guidance as a string',
        { prompt: 'p', guidanceScale: '7' },
        'guidanceScale',
        'guidanceScale must be a number from 0 to 35',
      ],
      ['too many images', { prompt: 'p', numImages: 5 }, 'numImages', 'numImages must be an integer from 1 to 4'],
      [
        'more steps than the chosen model takes',
        { prompt: 'p', modelId: 'stability-sdxl', steps: 60 },
        'steps',
        'steps must be between 10 and 50 for model stability-sdxl',
      ],
      [
        'more images than the default model makes',
        { prompt: 'p', numImages: 2 },
        'numImages',
        'numImages must be between 1 and 1 for model stable-diffusion-xl',
      ],
      [
        'a webhook aimed at the instance metadata address',
        { prompt: 'p', webhookUrl: 'http://169.254.169.254/latest/meta-data/' },
        'webhookUrl',
        'webhookUrl must not point at a private or reserved address: 169.254.169.254 is in a blocked range (linkLocal)',
      ],
      [
        'an unknown model',
        { prompt: 'p', modelId: 'dall-e' },
        'modelId',
        "modelId must be one of stable-diffusion-xl, stable-diffusion-2-1, stability-sdxl, imggen-sdxl, sdxl-turbo (unknown model 'dall-e')",
      ],
      ['an unknown field', { prompt: 'p', sampler: 'euler' }, 'sampler', 'sampler is not a field of this request'],
    ])('%s', async (_label, body, field, message) => {
      const response = await post(body).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((response.body as Problem).errors).toEqual([{ field, message }]);
    });

    it.each([
      ['abc', 'limit must be an integer from 1 to 100'],
      ['0', 'limit must be an integer from 1 to 100'],
      ['101', 'limit must be an integer from 1 to 100'],
    ])('limit=%s', async (limit, message) => {
      const response = await http().get(`/v1/jobs?limit=${limit}`).set('authorization', `Bearer ${token}`).expect(400);
      expect((response.body as Problem).errors).toEqual([{ field: 'limit', message }]);
    });

    it('counts prompt characters as the model does: 1,500 emoji are 1,500 characters', async () => {
      const prompt = '🌅'.repeat(1500);
      expect(prompt.length).toBe(3000);
      const accepted = await post({ prompt }).expect(202);
      const job = await http()
        .get((accepted.body as { links: { self: string } }).links.self)
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect((job.body as { params: { prompt: string } }).params.prompt).toBe(prompt);
    });
  });

  it('documents the request bounds of the catalog, integers as integers', async () => {
    const document = (await http().get('/docs-json').expect(200)).body as {
      components: { schemas: { CreateJobDto: { properties: Record<string, object> } } };
      paths: { '/v1/jobs': { get: { parameters: Array<{ name: string; schema: object }> } } };
    };
    const body = document.components.schemas.CreateJobDto.properties;
    expect(body.steps).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    for (const size of [body.width, body.height]) {
      expect(size).toMatchObject({ type: 'integer', minimum: 256, maximum: 1536, multipleOf: 8 });
    }
    expect(body.numImages).toMatchObject({ type: 'integer', minimum: 1, maximum: 4 });
    expect(body.seed).toMatchObject({ type: 'integer', minimum: 0, maximum: 4294967295 });
    expect(body.guidanceScale).toMatchObject({ type: 'number', minimum: 0, maximum: 35 });
    expect(body.prompt).toMatchObject({ type: 'string', maxLength: 2000 });
    expect(body.webhookUrl).toMatchObject({ type: 'string', format: 'uri', maxLength: 2048 });
    expect(body.webhookEvents).toMatchObject({ type: 'array', maxItems: 4 });
    const limit = document.paths['/v1/jobs'].get.parameters.find((parameter) => parameter.name === 'limit');
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });

  describe('bodies, paths and methods', () => {
    it('answers a form-encoded body (curl -d) with 415 saying what is accepted', async () => {
      const response = await http()
        .post('/v1/jobs')
        .set('authorization', `Bearer ${token}`)
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('{"prompt":"x"}')
        .expect(415);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: '/problems/unsupported-media-type',
        status: 415,
        detail: 'Request bodies must be application/json, not application/x-www-form-urlencoded',
      });
    });

    it('ignores unknown query parameters such as cache busters', async () => {
      const response = await http().get('/v1/jobs?_=123&limit=5').set('authorization', `Bearer ${token}`).expect(200);
      expect(response.body).toMatchObject({ items: expect.any(Array) });
    });

    it('tolerates a trailing slash', async () => {
      await http().get('/v1/models/').set('authorization', `Bearer ${token}`).expect(200);
      await http().get('/v1/jobs/').set('authorization', `Bearer ${token}`).expect(200);
      await http().post('/v1/jobs/').set('authorization', `Bearer ${token}`).send({ prompt: 'a slash' }).expect(202);
    });

    it.each([
      ['DELETE', '/v1/models', 'GET, HEAD'],
      ['PUT', '/v1/jobs', 'GET, HEAD, POST'],
      ['POST', '/v1/jobs/01JD0000000000000000000000', 'GET, HEAD, DELETE'],
    ] as const)('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
      const send = { DELETE: () => http().delete(path), PUT: () => http().put(path), POST: () => http().post(path) };
      const response = await send[method]().set('authorization', `Bearer ${token}`).expect(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: '/problems/method-not-allowed',
        title: 'Method not allowed',
        status: 405,
        detail: `${method} is not allowed on ${path}; allowed: ${allow}`,
        instance: path,
      });
    });

    // found by the hostile-input generator: Fastify's router answered these in its own JSON, before any hook
    it.each([
      ['a path that is not valid percent-encoding', '/v1/jobs/%', 400, '/problems/validation-error'],
      ['a path with a lone surrogate, percent-encoded', '/v1/jobs/%ED%A0%80', 400, '/problems/validation-error'],
      ['a job id longer than any route parameter', `/v1/jobs/${'x'.repeat(101)}`, 404, '/problems/not-found'],
    ])('answers %s with a problem and a request id', async (_label, path, status, type) => {
      const response = await http().get(path).set('authorization', `Bearer ${token}`).expect(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['x-request-id']).toEqual(expect.any(String));
      expect(response.body).toMatchObject({ type, status, instance: path });
    });

    it.each([
      [
        'headers over Node’s 16 KB limit',
        `GET /v1/jobs HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(17_000)}\r\n\r\n`,
        431,
      ],
      ['a malformed request line', 'GET /v1/jobs HTTP/9.9 x\r\n\r\n', 400],
      ['a header without a colon', 'GET /v1/jobs HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n', 400],
    ])('answers %s, which Node’s parser refuses, with a problem too', async (_label, raw, status) => {
      const server = api.getHttpServer();
      if (!server.listening) {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      }
      const answer = await rawExchange((server.address() as AddressInfo).port, raw);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(head.toLowerCase()).toContain('content-type: application/problem+json');
      expect(head.toLowerCase()).toMatch(/x-request-id: \w+/);
      expect(JSON.parse(body)).toMatchObject({ status, type: 'about:blank', title: expect.any(String) });
    });

    it('keeps unknown routes a 404 problem', async () => {
      for (const method of ['get', 'delete'] as const) {
        const response = await http()[method]('/v1/nothing-here').set('authorization', `Bearer ${token}`).expect(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ type: '/problems/not-found', status: 404 });
        expect(response.headers.allow).toBeUndefined();
      }
    });
  });

  describe('X-Forwarded-For', () => {
    /** The api with one extra route that tells the client address Fastify derived. */
    async function apiTellingIp(overrides: Env): Promise<NestFastifyApplication> {
      const app = await createApiApp(loadApiConfig({ ...stack.env, ...overrides }));
      app
        .getHttpAdapter()
        .getInstance()
        .get('/test/ip', (req, reply) => reply.send({ ip: req.ip }));
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      return app;
    }

    const ipSeen = async (app: NestFastifyApplication, forwardedFor: string): Promise<string> => {
      const response = await http(app).get('/test/ip').set('x-forwarded-for', forwardedFor).expect(200);
      return (response.body as { ip: string }).ip;
    };

    it('is ignored without a configured proxy: a client cannot choose its address', async () => {
      const app = await apiTellingIp({});
      try {
        expect(await ipSeen(app, '6.6.6.6')).toMatch(/127\.0\.0\.1$/);
      } finally {
        await app.close();
      }
    });

    it('is believed across the configured hops only', async () => {
      const app = await apiTellingIp({ API_TRUST_PROXY_HOPS: '1' });
      try {
        expect(await ipSeen(app, '203.0.113.9')).toBe('203.0.113.9');
        expect(await ipSeen(app, '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
      } finally {
        await app.close();
      }
    });
  });
});

/** Writes raw bytes to the server and reads everything it answers until it closes the connection. */
function rawExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
