import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { DependencyUnavailableError, RateLimiter } from '#libs/aws';
import { type AutoMocked, automock } from '#libs/testing';
import type { AuthUser } from '../auth/auth-user.js';
import type { ApiConfig } from '../config/api.config.js';
import { DEFAULT_GROUP_LIMITS } from '../config/limits.config.js';
import { ProblemException } from '../problem/problem.js';
import { RateLimitReporter } from './rate-limit-reporter.js';
import { RequestRateLimitInterceptor } from './request-rate-limit.interceptor.js';

const config = {
  limits: { defaults: { requestsPerMinute: 5, jobsPerDay: 2 }, groups: DEFAULT_GROUP_LIMITS },
} as unknown as ApiConfig;
const alice: AuthUser = { id: 'alice-id', username: 'alice', groups: [] };
const admin: AuthUser = { id: 'root-id', username: 'root', groups: ['admin'] };

describe(RequestRateLimitInterceptor.name, () => {
  let limiter: AutoMocked<RateLimiter>;
  let reporter: RateLimitReporter;
  let sut: RequestRateLimitInterceptor;
  let reply: { headers: jest.Mock };
  let handler: CallHandler & { handle: jest.Mock };

  beforeEach(() => {
    limiter = automock(RateLimiter);
    reporter = new RateLimitReporter();
    sut = new RequestRateLimitInterceptor(limiter as unknown as RateLimiter, reporter, config);
    reply = { headers: jest.fn() };
    handler = { handle: jest.fn(() => of('answer')) };
  });

  function contextFor(user: AuthUser | undefined, type = 'http'): ExecutionContext {
    return {
      getType: () => type,
      switchToHttp: () => ({ getRequest: () => ({ user }), getResponse: () => reply }),
    } as unknown as ExecutionContext;
  }

  const run = async (context: ExecutionContext) => lastValueFrom(await sut.intercept(context, handler));

  it('consumes one point of the caller’s requests per minute and reports it on the answer', async () => {
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 4, resetSeconds: 60 });
    await expect(run(contextFor(alice))).resolves.toBe('answer');
    expect(limiter.consume).toHaveBeenCalledWith(
      { name: 'requests-per-minute', points: 5, windowSeconds: 60 },
      'alice-id',
    );
    expect(reply.headers).toHaveBeenCalledWith({
      'RateLimit-Policy': '"requests-per-minute";q=5;w=60',
      RateLimit: '"requests-per-minute";r=4;t=60',
    });
  });

  it('refuses over the limit with 429 rate-limited, Retry-After and the fields, without running the handler', async () => {
    limiter.consume.mockResolvedValue({ allowed: false, remaining: 0, resetSeconds: 17 });
    const refused = await run(contextFor(alice)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem).toMatchObject({
      type: '/problems/rate-limited',
      status: 429,
      'violated-policies': ['requests-per-minute'],
    });
    expect((refused as ProblemException).headers).toEqual({ 'retry-after': '17' });
    expect(reply.headers).toHaveBeenCalledWith(
      expect.objectContaining({ RateLimit: '"requests-per-minute";r=0;t=17' }),
    );
    expect(handler.handle).not.toHaveBeenCalled();
  });

  it('counts an API key’s own requests per minute on top of its owner’s, and refuses over either', async () => {
    const viaKey: AuthUser = { ...alice, apiKey: { id: 'key-1', scopes: ['jobs:read'], requestsPerMinute: 2 } };
    limiter.consume
      .mockResolvedValueOnce({ allowed: true, remaining: 4, resetSeconds: 60 })
      .mockResolvedValueOnce({ allowed: false, remaining: 0, resetSeconds: 30 });
    const refused = (await run(contextFor(viaKey)).catch((error: unknown) => error)) as ProblemException;
    expect(limiter.consume.mock.calls).toEqual([
      [{ name: 'requests-per-minute', points: 5, windowSeconds: 60 }, 'alice-id'],
      [{ name: 'key-requests-per-minute', points: 2, windowSeconds: 60 }, 'key-1'],
    ]);
    expect(refused.problem['violated-policies']).toEqual(['key-requests-per-minute']);
    expect(handler.handle).not.toHaveBeenCalled();
  });

  it('counts nothing more for a key without a limit of its own', async () => {
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 4, resetSeconds: 60 });
    await run(contextFor({ ...alice, apiKey: { id: 'key-1', scopes: ['jobs:read'] } }));
    expect(limiter.consume).toHaveBeenCalledTimes(1);
  });

  it('never answers Retry-After: 0', async () => {
    limiter.consume.mockResolvedValue({ allowed: false, remaining: 0, resetSeconds: 0 });
    const refused = (await run(contextFor(alice)).catch((error: unknown) => error)) as ProblemException;
    expect(refused.headers).toEqual({ 'retry-after': '1' });
  });

  it('lets a store failure through as it is (503), without running the handler', async () => {
    limiter.consume.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'down'));
    await expect(run(contextFor(alice))).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(handler.handle).not.toHaveBeenCalled();
  });

  it('counts nothing and reports nothing for an admin, a public route or another transport', async () => {
    await expect(run(contextFor(admin))).resolves.toBe('answer');
    await expect(run(contextFor(undefined))).resolves.toBe('answer');
    await expect(run(contextFor(alice, 'rpc'))).resolves.toBe('answer');
    expect(limiter.consume).not.toHaveBeenCalled();
    expect(reply.headers).not.toHaveBeenCalled();
  });

  it('lets the handler report further limits on the same answer', async () => {
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 4, resetSeconds: 60 });
    handler.handle.mockImplementation(() => {
      reporter.report({ name: 'jobs-in-flight', quota: 3, remaining: 2 });
      return of('answer');
    });
    await run(contextFor(alice));
    expect(reply.headers).toHaveBeenLastCalledWith({
      'RateLimit-Policy': '"requests-per-minute";q=5;w=60, "jobs-in-flight";q=3',
      RateLimit: '"requests-per-minute";r=4;t=60, "jobs-in-flight";r=2',
    });
  });

  it('reports nothing outside a request', () => {
    expect(() => reporter.report({ name: 'x', quota: 1, remaining: 1 })).not.toThrow();
    expect(reply.headers).not.toHaveBeenCalled();
  });
});
