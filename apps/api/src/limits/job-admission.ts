import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { RateLimiter, type RateLimitPolicy } from '#libs/aws';
import { InFlightReservations } from '#libs/quotas';
import type { AuthUser } from '../auth/auth-user.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { limitsFor } from '../config/limits.config.js';
import { ProblemException, ProblemType } from '../problem/problem.js';
import {
  IN_FLIGHT_RETRY_AFTER_SECONDS,
  inFlightReport,
  jobsPerDayPolicy,
  PolicyName,
  windowReport,
} from './limit-policies.js';
import { RateLimitReporter } from './rate-limit-reporter.js';
import { releaseOnFailure } from './release-on-failure.js';

/** A submission's quota, taken: handed back if the submission fails before its job exists. */
export class Admission {
  constructor(private readonly giveBack: () => Promise<void>) {}

  /** Runs one step of the submission; if it throws, the quota is given back before the error goes on. */
  releaseOnFailure<T>(step: () => Promise<T>): Promise<T> {
    return releaseOnFailure(step, this.giveBack);
  }
}

/** A batch's quotas, taken whole; what the batch could not use is handed back by job id. */
export class BatchAdmission {
  constructor(private readonly giveBackJobs: (jobIds: readonly string[]) => Promise<void>) {}

  /** Best effort (logged): gives back a job of the day and the slot in flight of each of these jobs. */
  async giveBack(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length > 0) {
      await this.giveBackJobs(jobIds);
    }
  }
}

/**
 * Admits a validated submission against the caller's quotas: a job of the day (a window shared by every api
 * instance) and a slot among the jobs in flight. Refused: 429 quota-exceeded, and nothing is kept.
 */
@Injectable()
export class JobAdmission {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly inFlight: InFlightReservations,
    private readonly reporter: RateLimitReporter,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(JobAdmission.name);
  }

  async admit(user: AuthUser, jobId: string): Promise<Admission> {
    const limits = limitsFor(this.config.limits, user.groups);
    const daily = jobsPerDayPolicy(limits);
    const giveBackDaily = daily ? await this.takeDaily(daily, user) : () => Promise.resolve();
    const max = limits.jobsInFlight;
    if (max === undefined) {
      return new Admission(giveBackDaily);
    }
    let reservation;
    try {
      reservation = await this.inFlight.reserve(user.id, jobId, max);
    } catch (error) {
      await giveBackDaily();
      throw error;
    }
    this.reporter.report(inFlightReport(max, reservation.inFlight));
    if (!reservation.reserved) {
      await giveBackDaily();
      throw ProblemException.tooManyRequests(
        ProblemType.QuotaExceeded,
        `You already have ${max} jobs in flight, your limit; a new one is accepted once one of them finishes.`,
        [PolicyName.JobsInFlight],
        IN_FLIGHT_RETRY_AFTER_SECONDS,
      );
    }
    return new Admission(async () => {
      await giveBackDaily();
      await this.bestEffort('release the job in flight', () => this.inFlight.release(user.id, jobId));
    });
  }

  /**
   * Admits a batch as a whole: all of `jobIds` take a job of the day and a slot in flight, each limit in one
   * conditional write, or none does and the 429 says how many the batch needed and how many were left.
   */
  async admitBatch(user: AuthUser, jobIds: readonly string[]): Promise<BatchAdmission> {
    const limits = limitsFor(this.config.limits, user.groups);
    const count = jobIds.length;
    const daily = jobsPerDayPolicy(limits);
    const giveBackDaily = daily
      ? await this.takeDailyBatch(daily, user, count)
      : (_points: number) => Promise.resolve();
    const max = limits.jobsInFlight;
    if (max === undefined) {
      return new BatchAdmission((ids) => giveBackDaily(ids.length));
    }
    let reservation;
    try {
      reservation = await this.inFlight.reserveMany(user.id, jobIds, max);
    } catch (error) {
      await giveBackDaily(count);
      throw error;
    }
    this.reporter.report(inFlightReport(max, reservation.inFlight));
    if (!reservation.reserved) {
      await giveBackDaily(count);
      const free = Math.max(0, max - reservation.inFlight);
      throw ProblemException.tooManyRequests(
        ProblemType.QuotaExceeded,
        `This batch needs ${count} jobs in flight; you have ${reservation.inFlight} of your ${max} in flight, so ` +
          `only ${free} more fit. None of the batch was submitted: send fewer jobs or wait for some to finish.`,
        [PolicyName.JobsInFlight],
        IN_FLIGHT_RETRY_AFTER_SECONDS,
        { jobsRequested: count, jobsAvailable: free },
      );
    }
    return new BatchAdmission(async (ids) => {
      await giveBackDaily(ids.length);
      await this.bestEffort('release the batch’s jobs in flight', () => this.inFlight.releaseMany(user.id, ids));
    });
  }

  /** Takes `count` of the day's jobs in one consumption; returns how to give back some of them. */
  private async takeDailyBatch(
    policy: RateLimitPolicy,
    user: AuthUser,
    count: number,
  ): Promise<(points: number) => Promise<void>> {
    const taken = await this.limiter.take(policy, user.id, count);
    if (!taken.allowed) {
      await this.bestEffort('give back the refused batch’s jobs of the day', () =>
        this.limiter.reward(policy, user.id, count),
      );
      const left = Math.max(0, policy.points - (taken.consumed - count));
      this.reporter.report(windowReport(policy, { ...taken, remaining: left }));
      throw ProblemException.tooManyRequests(
        ProblemType.QuotaExceeded,
        `This batch needs ${count} jobs of the day; ${left} of your ${policy.points} per day are left. None of the ` +
          `batch was submitted: send at most ${left} jobs, or wait ${taken.resetSeconds} s for the day's quota.`,
        [policy.name],
        taken.resetSeconds,
        { jobsRequested: count, jobsAvailable: left },
      );
    }
    this.reporter.report(windowReport(policy, taken));
    return async (points) => {
      if (points === 0) {
        return;
      }
      await this.bestEffort('give back the batch’s jobs of the day', () =>
        this.limiter.reward(policy, user.id, points),
      );
      this.reporter.report(
        windowReport(policy, { ...taken, remaining: Math.min(policy.points, taken.remaining + points) }),
      );
    };
  }

  /** Takes one of the day's jobs; returns how to give it back. */
  private async takeDaily(policy: RateLimitPolicy, user: AuthUser): Promise<() => Promise<void>> {
    const standing = await this.limiter.consume(policy, user.id);
    const giveBack = async (): Promise<void> => {
      await this.bestEffort('give back the job of the day', () => this.limiter.reward(policy, user.id));
      this.reporter.report(
        windowReport(policy, { ...standing, remaining: Math.min(policy.points, standing.remaining + 1) }),
      );
    };
    if (!standing.allowed) {
      // the refused submission is counted by the store all the same: take it back so it costs nothing
      await this.bestEffort('give back the refused job of the day', () => this.limiter.reward(policy, user.id));
      this.reporter.report(windowReport(policy, standing));
      throw ProblemException.tooManyRequests(
        ProblemType.QuotaExceeded,
        `Over ${policy.points} jobs per day; the next one is accepted in ${standing.resetSeconds} s.`,
        [policy.name],
        standing.resetSeconds,
      );
    }
    this.reporter.report(windowReport(policy, standing));
    return giveBack;
  }

  /**
   * Giving quota back happens on a path that is already failing: its own failure is logged, not thrown over the
   * original error. A lost release heals itself (InFlightReservations drops reservations without a job); a lost
   * reward costs the user one job of that day.
   */
  private async bestEffort(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.logger.error({ err: error }, `could not ${what}`);
    }
  }
}
