import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { type UsageItemKey, UsageLedger } from '#libs/aws';
import { billingMonthOf, type JobParams, monthResetsAt, usdToMicros } from '#libs/contracts';
import { type CostEstimate, estimateCost, ModelCatalog } from '#libs/models';
import type { AuthUser } from '../auth/auth-user.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { limitsFor } from '../config/limits.config.js';
import { type BudgetScope, ProblemException } from '../problem/problem.js';

/** Monthly budgets in micro-USD; absent: no budget of that kind. */
export interface Budgets {
  user?: number;
  platform?: number;
}

/** A job's hold on both budgets, given back when the job was never recorded. */
export interface BudgetReservation {
  estimate: CostEstimate;
  release(): Promise<void>;
  /** Runs one step of the submission; if it throws, the hold is released before the error goes on. */
  releaseOnFailure<T>(step: () => Promise<T>): Promise<T>;
}

export interface JobToReserve {
  jobId: string;
  params: JobParams;
  /** The job's creation instant: its month is the month it is charged to. */
  createdAt: string;
}

/**
 * Reserves a job's estimated cost against the caller's monthly budget and the platform's, before the job is
 * written. Each reservation is one conditional write that only succeeds while the budget has room for it, so
 * parallel submissions cannot commit more than the budget. The worker's UsageSettlement replaces the hold by the
 * job's real cost once the job is final. Usage is recorded (a hold is taken) even when no budget is set.
 */
@Injectable()
export class BudgetService {
  constructor(
    private readonly ledger: UsageLedger,
    private readonly catalog: ModelCatalog,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.logger.setContext(BudgetService.name);
  }

  budgetsFor(user: AuthUser): Budgets {
    const userUsd = limitsFor(this.config.limits, user.groups).monthlyBudgetUsd;
    const platformUsd = this.config.limits.platformMonthlyBudgetUsd;
    return {
      ...(userUsd !== undefined ? { user: usdToMicros(userUsd) } : {}),
      ...(platformUsd !== undefined ? { platform: usdToMicros(platformUsd) } : {}),
    };
  }

  estimate(params: JobParams): CostEstimate {
    return estimateCost(this.catalog.get(params.modelId), params);
  }

  /**
   * Holds the job's estimate on the user's item, then on the platform's (undoing the user's hold when the platform
   * refuses). Throws 429 budget-exhausted when either has no room.
   */
  async reserve(user: AuthUser, job: JobToReserve): Promise<BudgetReservation> {
    const estimate = this.estimate(job.params);
    const month = billingMonthOf(job.createdAt);
    const budgets = this.budgetsFor(user);
    const userKey: UsageItemKey = { month, scope: { kind: 'user', ownerId: user.id } };
    const platformKey: UsageItemKey = { month, scope: { kind: 'platform' } };

    if (!(await this.ledger.reserve(userKey, job.jobId, estimate.micros, budgets.user))) {
      throw this.exhausted('user', month);
    }
    let platformHeld: boolean;
    try {
      platformHeld = await this.ledger.reserve(platformKey, job.jobId, estimate.micros, budgets.platform);
    } catch (error) {
      await this.undo(userKey, job.jobId, estimate.micros);
      throw error;
    }
    if (!platformHeld) {
      await this.undo(userKey, job.jobId, estimate.micros);
      throw this.exhausted('platform', month);
    }
    const release = async (): Promise<void> => {
      await this.undo(platformKey, job.jobId, estimate.micros);
      await this.undo(userKey, job.jobId, estimate.micros);
    };
    return {
      estimate,
      release,
      releaseOnFailure: async (step) => {
        try {
          return await step();
        } catch (error) {
          await release();
          throw error;
        }
      },
    };
  }

  /** Best effort: a hold that cannot be given back stays committed until someone settles it by hand. */
  private async undo(key: UsageItemKey, jobId: string, micros: number): Promise<void> {
    try {
      await this.ledger.release(key, jobId, micros);
    } catch (error) {
      this.logger.error({ err: error, jobId, scope: key.scope.kind, micros }, 'could not release a budget hold');
    }
  }

  private exhausted(scope: BudgetScope, month: string): ProblemException {
    this.logger.info({ scope, month }, 'monthly budget exhausted; job refused');
    return ProblemException.budgetExhausted(scope, monthResetsAt(month), new Date());
  }
}
