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
   * Holds the job's estimate on the API key's item (when a key submits it), then the user's, then the platform's,
   * undoing the holds already taken when one refuses. Throws 429 budget-exhausted naming the budget with no room.
   */
  async reserve(user: AuthUser, job: JobToReserve): Promise<BudgetReservation> {
    const estimate = this.estimate(job.params);
    const month = billingMonthOf(job.createdAt);
    const budgets = this.budgetsFor(user);
    const keyBudgetUsd = user.apiKey?.monthlyBudgetUsd;
    const holds: Array<{ key: UsageItemKey; budget: number | undefined; scope: BudgetScope }> = [
      ...(user.apiKey
        ? [
            {
              key: { month, scope: { kind: 'key' as const, keyId: user.apiKey.id } },
              budget: keyBudgetUsd === undefined ? undefined : usdToMicros(keyBudgetUsd),
              scope: 'key' as const,
            },
          ]
        : []),
      { key: { month, scope: { kind: 'user', ownerId: user.id } }, budget: budgets.user, scope: 'user' },
      { key: { month, scope: { kind: 'platform' } }, budget: budgets.platform, scope: 'platform' },
    ];
    const held: UsageItemKey[] = [];
    const release = async (): Promise<void> => {
      for (const key of [...held].reverse()) {
        await this.undo(key, job.jobId, estimate.micros);
      }
    };
    for (const hold of holds) {
      let taken: boolean;
      try {
        taken = await this.ledger.reserve(hold.key, job.jobId, estimate.micros, hold.budget);
      } catch (error) {
        await release();
        throw error;
      }
      if (!taken) {
        await release();
        throw this.exhausted(hold.scope, month);
      }
      held.push(hold.key);
    }
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
