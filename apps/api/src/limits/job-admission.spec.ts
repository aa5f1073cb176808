import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import { DependencyUnavailableError, RateLimiter } from '#libs/aws';
import { InFlightReservations } from '#libs/quotas';
import { type AutoMocked, automock } from '#libs/testing';
import type { AuthUser } from '../auth/auth-user.js';
import type { ApiConfig } from '../config/api.config.js';
import { DEFAULT_GROUP_LIMITS, type GroupLimits } from '../config/limits.config.js';
import { type ProblemException } from '../problem/problem.js';
import { JobAdmission } from './job-admission.js';
import { RateLimitReporter } from './rate-limit-reporter.js';

const alice: AuthUser = { id: 'alice-id', username: 'alice', groups: [] };
const admin: AuthUser = { id: 'root-id', username: 'root', groups: ['admin'] };
const DAILY = { name: 'jobs-per-day', points: 2, windowSeconds: 86_400 };

describe(JobAdmission.name, () => {
  let limiter: AutoMocked<RateLimiter>;
  let inFlight: AutoMocked<InFlightReservations>;
  let reporter: AutoMocked<RateLimitReporter>;
  let logger: { setContext: jest.Mock; error: jest.Mock };

  beforeEach(() => {
    limiter = automock(RateLimiter);
    inFlight = automock(InFlightReservations);
    reporter = automock(RateLimitReporter);
    reporter.report.mockReturnValue(undefined);
    logger = { setContext: jest.fn(), error: jest.fn() };
    limiter.reward.mockResolvedValue(undefined);
    inFlight.release.mockResolvedValue(undefined);
  });

  function admission(defaults: GroupLimits = { jobsPerDay: 2, jobsInFlight: 3 }): JobAdmission {
    const config = { limits: { defaults, groups: DEFAULT_GROUP_LIMITS } } as unknown as ApiConfig;
    return new JobAdmission(
      limiter as unknown as RateLimiter,
      inFlight as unknown as InFlightReservations,
      reporter as unknown as RateLimitReporter,
      config,
      logger as unknown as PinoLogger,
    );
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('admitted');
      },
      (error: unknown) => error as ProblemException,
    );

  it('takes a job of the day, then a slot in flight for this job id, and reports both', async () => {
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 1, resetSeconds: 86_000 });
    inFlight.reserve.mockResolvedValue({ reserved: true, inFlight: 1 });

    await admission().admit(alice, 'job-1');

    expect(limiter.consume).toHaveBeenCalledWith(DAILY, 'alice-id');
    expect(inFlight.reserve).toHaveBeenCalledWith('alice-id', 'job-1', 3);
    expect(reporter.report.mock.calls).toEqual([
      [{ name: 'jobs-per-day', quota: 2, windowSeconds: 86_400, remaining: 1, resetSeconds: 86_000 }],
      [{ name: 'jobs-in-flight', quota: 3, unit: 'concurrent-requests', remaining: 2 }],
    ]);
    expect(limiter.reward).not.toHaveBeenCalled();
  });

  it('refuses over the day’s jobs with 429 quota-exceeded until the window ends, and takes nothing', async () => {
    limiter.consume.mockResolvedValue({ allowed: false, remaining: 0, resetSeconds: 3600 });

    const refused = await refusal(admission().admit(alice, 'job-1'));

    expect(refused.problem).toMatchObject({
      type: '/problems/quota-exceeded',
      status: 429,
      'violated-policies': ['jobs-per-day'],
    });
    expect(refused.headers).toEqual({ 'retry-after': '3600' });
    // the store counted the refused one: it is given back so that it costs nothing
    expect(limiter.reward).toHaveBeenCalledWith(DAILY, 'alice-id');
    expect(inFlight.reserve).not.toHaveBeenCalled();
  });

  it('refuses when the jobs in flight are at the limit and gives the day’s job back', async () => {
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 1, resetSeconds: 86_000 });
    inFlight.reserve.mockResolvedValue({ reserved: false, inFlight: 3 });

    const refused = await refusal(admission().admit(alice, 'job-1'));

    expect(refused.problem).toMatchObject({
      type: '/problems/quota-exceeded',
      'violated-policies': ['jobs-in-flight'],
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(limiter.reward).toHaveBeenCalledWith(DAILY, 'alice-id');
    expect(reporter.report).toHaveBeenCalledWith({
      name: 'jobs-in-flight',
      quota: 3,
      unit: 'concurrent-requests',
      remaining: 0,
    });
    expect(reporter.report).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'jobs-per-day', remaining: 2 }));
  });

  it('gives the day’s job back when the reservation fails, and lets the failure through', async () => {
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 1, resetSeconds: 86_000 });
    inFlight.reserve.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'down'));
    await expect(admission().admit(alice, 'job-1')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(limiter.reward).toHaveBeenCalledWith(DAILY, 'alice-id');
  });

  it('gives everything back when a step of the submission fails, and rethrows that failure', async () => {
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 1, resetSeconds: 86_000 });
    inFlight.reserve.mockResolvedValue({ reserved: true, inFlight: 1 });
    const admitted = await admission().admit(alice, 'job-1');
    const storageDown = new DependencyUnavailableError('S3', 'down');

    await expect(admitted.releaseOnFailure(() => Promise.reject(storageDown))).rejects.toBe(storageDown);
    expect(limiter.reward).toHaveBeenCalledWith(DAILY, 'alice-id');
    expect(inFlight.release).toHaveBeenCalledWith('alice-id', 'job-1');
    await expect(admitted.releaseOnFailure(async () => 'stored')).resolves.toBe('stored');
    expect(inFlight.release).toHaveBeenCalledTimes(1);
  });

  it('still gives back the slot, logs, and throws the original failure when giving back fails', async () => {
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 1, resetSeconds: 86_000 });
    inFlight.reserve.mockResolvedValue({ reserved: true, inFlight: 1 });
    limiter.reward.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'down'));
    const admitted = await admission().admit(alice, 'job-1');
    const original = new Error('the original failure');

    await expect(admitted.releaseOnFailure(() => Promise.reject(original))).rejects.toBe(original);
    expect(inFlight.release).toHaveBeenCalledWith('alice-id', 'job-1');
    expect(logger.error).toHaveBeenCalled();
  });

  it('asks nothing of the stores for a user without those limits (an admin)', async () => {
    const admitted = await admission().admit(admin, 'job-1');
    await expect(admitted.releaseOnFailure(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(limiter.consume).not.toHaveBeenCalled();
    expect(inFlight.reserve).not.toHaveBeenCalled();
    expect(inFlight.release).not.toHaveBeenCalled();
  });

  it('applies only the limits the groups have', async () => {
    inFlight.reserve.mockResolvedValue({ reserved: true, inFlight: 1 });
    await admission({ jobsInFlight: 1 }).admit(alice, 'job-1');
    expect(limiter.consume).not.toHaveBeenCalled();
    limiter.consume.mockResolvedValue({ allowed: true, remaining: 1, resetSeconds: 86_000 });
    inFlight.reserve.mockClear();
    await admission({ jobsPerDay: 2 }).admit(alice, 'job-2');
    expect(inFlight.reserve).not.toHaveBeenCalled();
  });
});
