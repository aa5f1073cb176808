import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { type JobHold, UsageLedger } from '#libs/aws';
import { billingMonthOf, type JobParams, microsToUsd, monthResetsAt, usdToMicros } from '#libs/contracts';
import { type CostEstimate, estimateCost, ModelCatalog } from '#libs/models';
import type { AuthUser } from '../auth/auth-user.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { limitsFor } from '../config/limits.config.js';
import { releaseOnFailure } from '../limits/release-on-failure.js';
import { type BudgetScope, ProblemException } from '../problem/problem.js';
import { type BudgetShare, platformShares } from './platform-shares.js';

/** Monthly budgets in micro-USD; absent: no budget of that kind. */
export interface Budgets {
  user?: number;
  platform?: number;
}

/** A job's hold on both budgets, given back when the job was never recorded. */
export interface BudgetReservation {
  estimate: CostEstimate;
  /** The platform usage shard that took the hold: the job records it for its settlement. */
  platformShard: number | undefined;
  release(): Promise<void>;
  /** Runs one step of the submission; if it throws, the hold is released before the error goes on. */
  releaseOnFailure<T>(step: () => Promise<T>): Promise<T>;
}

/** A batch's holds on both budgets, one per job; each job's is settled by its final state like a single job's. */
export interface BatchBudgetReservation {
  /** The platform usage shard that took every job's hold. */
  platformShard: number | undefined;
  /** Best effort (logged): gives back the holds of these jobs, which will never be settled (never written). */
  release(jobIds: readonly string[]): Promise<void>;
}

/** One budget a submission is held against: its limit (absent: usage is only recorded) and where a hold may go. */
export interface BudgetLine {
  scope: BudgetScope;
  month: string;
  budgetMicros: number | undefined;
  /** Tried in order until one has room: the line's usage item, or the platform's shards with a share each. */
  shares: BudgetShare[];
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
    const undo = (share: BudgetShare): Promise<void> => this.undo(share, job.jobId, estimate.micros);
    const held = await this.holdOnEach(this.linesFor(user, month, job.jobId), {
      take: (share) => this.ledger.reserve(share.key, job.jobId, estimate.micros, share.budgetMicros),
      undo,
      refusal: (line) => this.exhausted(line.scope, month),
    });
    return budgetReservation(estimate, platformShardHeld(held), () => undoEach(held, undo));
  }

  /**
   * Holds every job's estimate, the batch as a whole: on each budget (the key's, the user's, the platform's) one
   * conditional write whose condition is the batch's total against what is left. One refuses: nothing is held and
   * the 429 says the batch's total and what was left. All jobs must share one `createdAt` month.
   */
  async reserveBatch(user: AuthUser, jobs: readonly JobToReserve[]): Promise<BatchBudgetReservation> {
    const holds: JobHold[] = jobs.map((job) => ({ jobId: job.jobId, micros: this.estimate(job.params).micros }));
    const month = billingMonthOf(jobs[0]?.createdAt ?? new Date());
    const held = await this.holdOnEach(this.linesFor(user, month, holds[0]?.jobId ?? user.id), {
      take: (share) => this.ledger.reserveMany(share.key, holds, share.budgetMicros),
      undo: (share) => this.undoMany(share, holds),
      refusal: (line) => this.batchExhausted(line, holds),
    });
    return {
      platformShard: platformShardHeld(held),
      release: async (jobIds) => {
        const ids = new Set(jobIds);
        const released = holds.filter((hold) => ids.has(hold.jobId));
        await undoEach(held, (share) => this.undoMany(share, released));
      },
    };
  }

  /**
   * The budgets a submission is charged to, in the order they are held: the API key's, the user's, the platform's.
   * `holderId` (the job's id, a batch's first) picks the platform shard tried first.
   */
  linesFor(user: AuthUser, month: string, holderId: string = user.id): BudgetLine[] {
    const budgets = this.budgetsFor(user);
    const keyBudgetUsd = user.apiKey?.monthlyBudgetUsd;
    const line = (scope: BudgetScope, budgetMicros: number | undefined, shares: BudgetShare[]): BudgetLine => ({
      scope,
      month,
      budgetMicros,
      shares,
    });
    const keyBudget = keyBudgetUsd === undefined ? undefined : usdToMicros(keyBudgetUsd);
    return [
      ...(user.apiKey
        ? [
            line('key', keyBudget, [
              {
                key: { month, scope: { kind: 'key', ownerId: user.id, keyId: user.apiKey.id } },
                budgetMicros: keyBudget,
              },
            ]),
          ]
        : []),
      line('user', budgets.user, [
        { key: { month, scope: { kind: 'user', ownerId: user.id } }, budgetMicros: budgets.user },
      ]),
      line('platform', budgets.platform, platformShares(month, holderId, budgets.platform)),
    ];
  }

  /** What is left of a line's budget for one submission: the most room in any one of its shares. */
  async remainingMicros(line: BudgetLine): Promise<number | undefined> {
    if (line.budgetMicros === undefined) {
      return undefined;
    }
    const committed = await this.committedIn(line);
    return Math.max(0, ...line.shares.map((share, index) => (share.budgetMicros ?? 0) - (committed[index] ?? 0)));
  }

  /** What each of the line's shares has committed, in the shares' order; the platform's shards in one read. */
  private async committedIn(line: BudgetLine): Promise<number[]> {
    if (line.scope !== 'platform') {
      return Promise.all(line.shares.map(async (share) => (await this.ledger.get(share.key)).committedMicros));
    }
    const byShard = new Map<number, number>();
    for (const record of await this.ledger.getPlatformShards(line.month)) {
      if ('shard' in record.scope) {
        byShard.set(record.scope.shard, record.committedMicros);
      }
    }
    return line.shares.map((share) => ('shard' in share.key.scope ? (byShard.get(share.key.scope.shard) ?? 0) : 0));
  }

  /**
   * Takes a hold on each line, on the first of its shares with room; when a line has none, or a write fails, the
   * holds already taken are given back. Returns the shares that hold.
   */
  private async holdOnEach(
    lines: readonly BudgetLine[],
    steps: {
      take: (share: BudgetShare) => Promise<boolean>;
      undo: (share: BudgetShare) => Promise<void>;
      refusal: (line: BudgetLine) => ProblemException | Promise<ProblemException>;
    },
  ): Promise<BudgetShare[]> {
    const held: BudgetShare[] = [];
    for (const line of lines) {
      let taken: BudgetShare | undefined;
      try {
        for (const share of line.shares) {
          if (await steps.take(share)) {
            taken = share;
            break;
          }
        }
      } catch (error) {
        await undoEach(held, steps.undo);
        throw error;
      }
      if (!taken) {
        await undoEach(held, steps.undo);
        throw await steps.refusal(line);
      }
      held.push(taken);
    }
    return held;
  }

  private async undoMany({ key }: BudgetShare, holds: readonly JobHold[]): Promise<void> {
    try {
      if (!(await this.ledger.releaseMany(key, holds))) {
        this.logger.error({ scope: key.scope.kind, jobs: holds.length }, 'batch holds were not all there to release');
      }
    } catch (error) {
      this.logger.error({ err: error, scope: key.scope.kind, jobs: holds.length }, 'could not release batch holds');
    }
  }

  private async batchExhausted(line: BudgetLine, holds: readonly JobHold[]): Promise<ProblemException> {
    const totalMicros = holds.reduce((sum, hold) => sum + hold.micros, 0);
    let remainingMicros = 0;
    try {
      remainingMicros = (await this.remainingMicros(line)) ?? 0;
    } catch (error) {
      // only the message's figure: the refusal stands either way
      this.logger.warn({ err: error }, 'could not read what is left of the budget');
    }
    this.logger.info(
      { scope: line.scope, month: line.month, jobs: holds.length },
      'monthly budget exhausted; batch refused',
    );
    return ProblemException.budgetExhausted(line.scope, monthResetsAt(line.month), new Date(), {
      jobsRequested: holds.length,
      estimatedUsd: microsToUsd(totalMicros),
      remainingUsd: microsToUsd(remainingMicros),
    });
  }

  /** Best effort: a hold that cannot be given back stays committed until someone settles it by hand. */
  private async undo({ key }: BudgetShare, jobId: string, micros: number): Promise<void> {
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

/** Gives back these holds, the last taken first. */
async function undoEach(held: readonly BudgetShare[], undo: (share: BudgetShare) => Promise<void>): Promise<void> {
  for (const share of [...held].reverse()) {
    await undo(share);
  }
}

/** A hold on the budgets whose `release` also runs when a step wrapped in `releaseOnFailure` throws. */
export function budgetReservation(
  estimate: CostEstimate,
  platformShard: number | undefined,
  release: () => Promise<void>,
): BudgetReservation {
  return { estimate, platformShard, release, releaseOnFailure: (step) => releaseOnFailure(step, release) };
}

/** The platform shard among the shares a reservation took (its hold is there). */
function platformShardHeld(held: readonly BudgetShare[]): number | undefined {
  for (const { key } of held) {
    if (key.scope.kind === 'platform') {
      return key.scope.shard;
    }
  }
  return undefined;
}
