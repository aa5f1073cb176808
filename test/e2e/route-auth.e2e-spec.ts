import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { ulid } from 'ulid';
import { startApi, tokenFor } from '../support/platform.js';
import { type RegisteredRoute, registeredRoutes } from '../support/registered-routes.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * The routes anyone may call without a token. Adding one here is a decision about the api's exposure: the rest
 * must all answer 401 to a caller without a valid token.
 */
const PUBLIC_ROUTES = [
  'GET /health/live',
  'HEAD /health/live',
  'GET /health/ready',
  'HEAD /health/ready',
  // the OpenAPI document and Swagger UI (SwaggerModule registers these on Fastify directly)
  'GET /docs',
  'HEAD /docs',
  'GET /docs/*',
  'HEAD /docs/*',
  'GET /docs/index.html',
  'HEAD /docs/index.html',
  'GET /docs/LICENSE',
  'HEAD /docs/LICENSE',
  'GET /docs/swagger-ui-init.js',
  'HEAD /docs/swagger-ui-init.js',
  'GET /docs/docs/swagger-ui-init.js',
  'HEAD /docs/docs/swagger-ui-init.js',
  'GET /docs-json',
  'HEAD /docs-json',
  'GET /docs-yaml',
  'HEAD /docs-yaml',
  // CORS preflights (the dashboard's origins are allowed locally)
  'OPTIONS /*',
];

/** A concrete URL for a route template: a well-formed job id for `:jobId`, a plain word for anything else. */
function concreteUrl(url: string): string {
  return url
    .replace(/:jobId\b/g, ulid())
    .replace(/:\w+/g, 'x')
    .replace(/\*$/, 'x');
}

const label = ({ method, url }: RegisteredRoute) => `${method} ${url}`;

describe('every route needs a token unless it is public', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let routes: RegisteredRoute[];
  /** Refused credentials, each a different way of being wrong. */
  let badAuthorizations: Array<[string, string]>;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    routes = registeredRoutes(api.getHttpAdapter().getInstance());
    const { privateKey } = await generateKeyPair('RS256');
    const strangersToken = await new SignJWT({ token_use: 'access', client_id: 'imggen-local', username: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'stranger' })
      .setIssuer(stack.env.AUTH_ISSUER!)
      .setSubject('stranger')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    badAuthorizations = [
      ['garbage', 'Bearer not.a.token'],
      ['a token signed by another key', `Bearer ${strangersToken}`],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
    ];
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  function send(route: RegisteredRoute, authorization?: string) {
    const method = route.method === 'OPTIONS' ? 'options' : (route.method.toLowerCase() as 'get');
    const url = route.url === '/*' ? '/v1/jobs' : concreteUrl(route.url);
    const call = request(api.getHttpServer())[method](url);
    if (authorization !== undefined) {
      void call.set('authorization', authorization);
    }
    if (route.method === 'OPTIONS') {
      // a preflight, as a browser sends it
      void call.set('origin', 'http://localhost:5173').set('access-control-request-method', 'GET');
    }
    return route.method === 'POST' ? call.set('content-type', 'application/json').send('{}') : call;
  }

  it('finds the app’s routes, the jobs routes among them', () => {
    const listed = routes.map(label);
    expect(listed).toEqual(
      expect.arrayContaining(['GET /v1/jobs', 'POST /v1/jobs', 'GET /v1/jobs/:jobId', 'GET /v1/models']),
    );
  });

  it('answers 401 problem+json without a token, or with a bad one, on every route that is not public', async () => {
    const reachable: string[] = [];
    for (const route of routes.filter((candidate) => !PUBLIC_ROUTES.includes(label(candidate)))) {
      for (const [why, authorization] of [['no token', undefined], ...badAuthorizations] as const) {
        const response = await send(route, authorization);
        if (response.status !== 401) {
          reachable.push(`${label(route)} with ${why}: ${response.status}`);
          continue;
        }
        if (route.method !== 'HEAD') {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(response.body).toMatchObject({ type: '/problems/unauthorized', status: 401 });
        }
      }
    }
    expect(reachable).toEqual([]);
  }, 120_000);

  it('has exactly the expected public routes, each answering without a token', async () => {
    expect(routes.map(label).filter((route) => PUBLIC_ROUTES.includes(route))).toEqual(
      expect.arrayContaining(PUBLIC_ROUTES),
    );
    const open: string[] = [];
    for (const route of routes) {
      const response = await send(route);
      if (response.status !== 401) {
        open.push(label(route));
      }
    }
    expect(open.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('lets no API key through a /v1 route unless it holds that route’s scope: no route is open to every key', async () => {
    const owner = await tokenFor(stack.env, `scopes-${ulid()}`);
    const keyWith = async (scopes: string[]): Promise<string> => {
      const created = await request(api.getHttpServer())
        .post('/v1/keys')
        .set('authorization', `Bearer ${owner}`)
        .send({ name: scopes.join(' '), scopes })
        .expect(201);
      return (created.body as { key: string }).key;
    };
    // every scope is held by exactly one of the two keys
    const keys = [await keyWith(['usage:read']), await keyWith(['jobs:read', 'jobs:write'])];
    const openToBoth: string[] = [];
    for (const route of routes.filter((candidate) => !PUBLIC_ROUTES.includes(label(candidate)))) {
      // stop at the first refusal: a key the route lets in may open an event stream that never ends
      const statuses: number[] = [];
      for (const key of keys) {
        statuses.push((await send(route, `Bearer ${key}`)).status);
        if (statuses.at(-1) === 403) {
          break;
        }
      }
      if (!statuses.includes(403)) {
        openToBoth.push(`${label(route)}: ${statuses.join(', ')}`);
      }
    }
    expect(openToBoth).toEqual([]);
  }, 120_000);
});
