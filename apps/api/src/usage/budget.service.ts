import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { type JobHold, type UsageItemKey, UsageLedger } from '#libs/aws';
import { billingMonthOf, type JobParams, microsToUsd, monthResetsAt, usdToMicros } from '#libs/contracts';
import { type CostEstimate, estimateCost, ModelCatalog } from '#libs/models';
import type { AuthUser } from '../auth/auth-user.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { limitsFor } from '../config/limits.config.js';
import { releaseOnFailure } from '../limits/release-on-failure.js';
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

/** A batch's holds on both budgets, one per job; each job's is settled by its final state like a single job's. */
export interface BatchBudgetReservation {
  /** Best effort (logged): gives back the holds of these jobs, which will never be settled (never written). */
  release(jobIds: readonly string[]): Promise<void>;
}

/** One budget a submission is held against: its usage item and its limit (absent: usage is only recorded). */
export interface BudgetLine {
  key: UsageItemKey;
  budgetMicros: number | undefined;
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
    const lines = this.linesFor(user, month);
    const undo = (line: BudgetLine): Promise<void> => this.undo(line.key, job.jobId, estimate.micros);
    await this.holdOnEach(lines, {
      take: (line) => this.ledger.reserve(line.key, job.jobId, estimate.micros, line.budgetMicros),
      undo,
      refusal: (line) => this.exhausted(line.key.scope.kind, month),
    });
    return budgetReservation(estimate, () => undoEach(lines, undo));
  }

  /**
   * Holds every job's estimate, the batch as a whole: on each budget (the key's, the user's, the platform's) one
   * conditional write whose condition is the batch's total against what is left. One refuses: nothing is held and
   * the 429 says the batch's total and what was left. All jobs must share one `createdAt` month.
   */
  async reserveBatch(user: AuthUser, jobs: readonly JobToReserve[]): Promise<BatchBudgetReservation> {
    const holds: JobHold[] = jobs.map((job) => ({ jobId: job.jobId, micros: this.estimate(job.params).micros }));
    const lines = this.linesFor(user, billingMonthOf(jobs[0]?.createdAt ?? new Date()));
    await this.holdOnEach(lines, {
      take: (line) => this.ledger.reserveMany(line.key, holds, line.budgetMicros),
      undo: (line) => this.undoMany(line.key, holds),
      refusal: (line) => this.batchExhausted(line.key, holds, line.budgetMicros),
    });
    return {
      release: async (jobIds) => {
        const ids = new Set(jobIds);
        const released = holds.filter((hold) => ids.has(hold.jobId));
        await undoEach(lines, (line) => this.undoMany(line.key, released));
      },
    };
  }

  /** The budgets a submission is charged to, in the order they are held: the API key's, the user's, the platform's. */
  linesFor(user: AuthUser, month: string): BudgetLine[] {
    const budgets = this.budgetsFor(user);
    const keyBudgetUsd = user.apiKey?.monthlyBudgetUsd;
    return [
      ...(user.apiKey
        ? [
            {
              key: { month, scope: { kind: 'key' as const, ownerId: user.id, keyId: user.apiKey.id } },
              budgetMicros: keyBudgetUsd === undefined ? undefined : usdToMicros(keyBudgetUsd),
            },
          ]
        : []),
      { key: { month, scope: { kind: 'user', ownerId: user.id } }, budgetMicros: budgets.user },
      { key: { month, scope: { kind: 'platform' } }, budgetMicros: budgets.platform },
    ];
  }

  /** Takes a hold on each line in order; when one refuses or fails, the holds already taken are given back. */
  private async holdOnEach(
    lines: readonly BudgetLine[],
    steps: {
      take: (line: BudgetLine) => Promise<boolean>;
      undo: (line: BudgetLine) => Promise<void>;
      refusal: (line: BudgetLine) => ProblemException | Promise<ProblemException>;
    },
  ): Promise<void> {
    const held: BudgetLine[] = [];
    for (const line of lines) {
      let taken: boolean;
      try {
        taken = await steps.take(line);
      } catch (error) {
        await undoEach(held, steps.undo);
        throw error;
      }
      if (!taken) {
        await undoEach(held, steps.undo);
        throw await steps.refusal(line);
      }
      held.push(line);
    }
  }

  private async undoMany(key: UsageItemKey, holds: readonly JobHold[]): Promise<void> {
    try {
      if (!(await this.ledger.releaseMany(key, holds))) {
        this.logger.error({ scope: key.scope.kind, jobs: holds.length }, 'batch holds were not all there to release');
      }
    } catch (error) {
      this.logger.error({ err: error, scope: key.scope.kind, jobs: holds.length }, 'could not release batch holds');
    }
  }

  private async batchExhausted(
    key: UsageItemKey,
    holds: readonly JobHold[],
    budgetMicros: number | undefined,
  ): Promise<ProblemException> {
    const scope: BudgetScope = key.scope.kind;
    const totalMicros = holds.reduce((sum, hold) => sum + hold.micros, 0);
    let remainingMicros = 0;
    try {
      remainingMicros = Math.max(0, (budgetMicros ?? 0) - (await this.ledger.get(key)).committedMicros);
    } catch (error) {
      // only the message's figure: the refusal stands either way
      this.logger.warn({ err: error }, 'could not read what is left of the budget');
    }
    this.logger.info({ scope, month: key.month, jobs: holds.length }, 'monthly budget exhausted; batch refused');
    return ProblemException.budgetExhausted(scope, monthResetsAt(key.month), new Date(), {
      jobsRequested: holds.length,
      estimatedUsd: microsToUsd(totalMicros),
      remainingUsd: microsToUsd(remainingMicros),
    });
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

/** Gives back the holds on these lines, the last taken first. */
async function undoEach(lines: readonly BudgetLine[], undo: (line: BudgetLine) => Promise<void>): Promise<void> {
  for (const line of [...lines].reverse()) {
    await undo(line);
  }
}

/** A hold on the budgets whose `release` also runs when a step wrapped in `releaseOnFailure` throws. */
export function budgetReservation(estimate: CostEstimate, release: () => Promise<void>): BudgetReservation {
  return { estimate, release, releaseOnFailure: (step) => releaseOnFailure(step, release) };
}
