import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import { RateLimiter } from '#libs/aws';
import { InFlightReservations } from '#libs/quotas';
import { type AutoMocked, automock } from '#libs/testing';
import type { AuthUser } from '../auth/auth-user.js';
import type { ApiConfig } from '../config/api.config.js';
import { DEFAULT_GROUP_LIMITS, type GroupLimits } from '../config/limits.config.js';
import type { ProblemException } from '../problem/problem.js';
import { JobAdmission } from './job-admission.js';
import { RateLimitReporter } from './rate-limit-reporter.js';

const alice: AuthUser = { id: 'alice-id', username: 'alice', groups: [] };
const DAILY = { name: 'jobs-per-day', points: 10, windowSeconds: 86_400 };
const JOB_IDS = ['j1', 'j2', 'j3', 'j4'];

describe(`${JobAdmission.name}.admitBatch`, () => {
  let limiter: AutoMocked<RateLimiter>;
  let inFlight: AutoMocked<InFlightReservations>;
  let reporter: AutoMocked<RateLimitReporter>;

  beforeEach(() => {
    limiter = automock(RateLimiter);
    inFlight = automock(InFlightReservations);
    reporter = automock(RateLimitReporter);
    reporter.report.mockReturnValue(undefined);
    limiter.reward.mockResolvedValue(undefined);
    inFlight.releaseMany.mockResolvedValue(undefined);
  });

  function admission(defaults: GroupLimits = { jobsPerDay: 10, jobsInFlight: 6 }): JobAdmission {
    const config = { limits: { defaults, groups: DEFAULT_GROUP_LIMITS } } as unknown as ApiConfig;
    const logger = { setContext: jest.fn(), error: jest.fn() } as unknown as PinoLogger;
    return new JobAdmission(
      limiter as unknown as RateLimiter,
      inFlight as unknown as InFlightReservations,
      reporter as unknown as RateLimitReporter,
      config,
      logger,
    );
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('admitted');
      },
      (error: unknown) => error as ProblemException,
    );

  it('takes the whole batch at once: its count of the day’s jobs, then a slot in flight for every job', async () => {
    limiter.take.mockResolvedValue({ allowed: true, remaining: 6, resetSeconds: 86_000, consumed: 4 });
    inFlight.reserveMany.mockResolvedValue({ reserved: true, inFlight: 4 });

    await admission().admitBatch(alice, JOB_IDS);

    expect(limiter.take).toHaveBeenCalledWith(DAILY, 'alice-id', 4);
    expect(inFlight.reserveMany).toHaveBeenCalledWith('alice-id', JOB_IDS, 6);
    expect(limiter.reward).not.toHaveBeenCalled();
  });

  it('refuses a batch over the day’s jobs as a whole, gives the points back and says how many are left', async () => {
    // 8 taken before; this batch of 4 made it 12 of 10
    limiter.take.mockResolvedValue({ allowed: false, remaining: 0, resetSeconds: 3600, consumed: 12 });

    const refused = await refusal(admission().admitBatch(alice, JOB_IDS));

    expect(refused.problem).toMatchObject({
      type: '/problems/quota-exceeded',
      'violated-policies': ['jobs-per-day'],
      jobsRequested: 4,
      jobsAvailable: 2,
    });
    expect(refused.problem.detail).toMatch(/needs 4 jobs of the day; 2 of your 10/);
    expect(refused.headers).toEqual({ 'retry-after': '3600' });
    expect(limiter.reward).toHaveBeenCalledWith(DAILY, 'alice-id', 4);
    expect(inFlight.reserveMany).not.toHaveBeenCalled();
  });

  it('refuses a batch the jobs in flight have no room for, and gives the day’s points back', async () => {
    limiter.take.mockResolvedValue({ allowed: true, remaining: 6, resetSeconds: 86_000, consumed: 4 });
    inFlight.reserveMany.mockResolvedValue({ reserved: false, inFlight: 3 });

    const refused = await refusal(admission().admitBatch(alice, JOB_IDS));

    expect(refused.problem).toMatchObject({
      'violated-policies': ['jobs-in-flight'],
      jobsRequested: 4,
      jobsAvailable: 3,
    });
    expect(limiter.reward).toHaveBeenCalledWith(DAILY, 'alice-id', 4);
  });

  it('gives back exactly the jobs it is told: their points of the day and their slots in flight', async () => {
    limiter.take.mockResolvedValue({ allowed: true, remaining: 6, resetSeconds: 86_000, consumed: 4 });
    inFlight.reserveMany.mockResolvedValue({ reserved: true, inFlight: 4 });
    const admitted = await admission().admitBatch(alice, JOB_IDS);

    await admitted.giveBack(['j3', 'j4']);
    await admitted.giveBack([]);

    expect(limiter.reward.mock.calls).toEqual([[DAILY, 'alice-id', 2]]);
    expect(inFlight.releaseMany.mock.calls).toEqual([['alice-id', ['j3', 'j4']]]);
  });

  it('gives the day’s points back when reserving in flight fails', async () => {
    limiter.take.mockResolvedValue({ allowed: true, remaining: 6, resetSeconds: 86_000, consumed: 4 });
    const outage = new Error('DynamoDB down');
    inFlight.reserveMany.mockRejectedValue(outage);

    await expect(admission().admitBatch(alice, JOB_IDS)).rejects.toBe(outage);
    expect(limiter.reward).toHaveBeenCalledWith(DAILY, 'alice-id', 4);
  });
});
