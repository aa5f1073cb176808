import { Injectable } from '@nestjs/common';
import { ApiKeyRepository, MAX_KEYS_IN_USAGE, UsageLedger, type UsageRecord } from '#libs/aws';
import { billingMonthOf, type JobRequest, microsToUsd, monthResetsAt, usdToMicros } from '#libs/contracts';
import { ModelCatalog } from '#libs/models';
import type { AuthUser } from '../auth/auth-user.js';
import { ProblemException } from '../problem/problem.js';
import type { ApiKeyUsageView, BudgetView, JobEstimateView, UsageTotalsView, UsageView } from './dto/usage.views.js';
import { DEFAULT_USERS_PAGE_SIZE } from './dto/usage.query.js';
import { isAdmin } from '../auth/roles.js';
import { BudgetService } from './budget.service.js';

function totals(record: UsageRecord): UsageTotalsView {
  const final = Object.values(record.jobs).reduce((sum, count) => sum + count, 0);
  return {
    jobs: { total: final + record.inFlight, inFlight: record.inFlight, byStatus: { ...record.jobs } },
    gpuSeconds: record.gpuMs / 1000,
    usd: microsToUsd(record.costMicros),
  };
}

function budgetView(limitMicros: number | undefined, record: UsageRecord, resetsAt: Date): BudgetView | null {
  if (limitMicros === undefined) {
    return null;
  }
  return {
    limitUsd: microsToUsd(limitMicros),
    committedUsd: microsToUsd(record.committedMicros),
    remainingUsd: microsToUsd(Math.max(0, limitMicros - record.committedMicros)),
    resetsAt: resetsAt.toISOString(),
  };
}

const encodeCursor = (ownerId: string): string => Buffer.from(ownerId, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const ownerId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (ownerId.length === 0 || encodeCursor(ownerId) !== cursor) {
    throw ProblemException.validation([{ field: 'cursor', message: 'cursor is not valid for this listing' }]);
  }
  return ownerId;
}

/** Month-to-date usage (GET /v1/usage) and cost estimates (POST /v1/jobs/estimate), read from the usage ledger. */
@Injectable()
export class UsageService {
  constructor(
    private readonly ledger: UsageLedger,
    private readonly apiKeys: ApiKeyRepository,
    private readonly budget: BudgetService,
    private readonly catalog: ModelCatalog,
  ) {}

  async usage(user: AuthUser, query: { month?: string; limit?: number; cursor?: string }): Promise<UsageView> {
    const month = query.month ?? billingMonthOf(new Date());
    const resetsAt = monthResetsAt(month);
    const budgets = this.budget.budgetsFor(user);
    const [mine, keys] = await Promise.all([
      this.ledger.get({ month, scope: { kind: 'user', ownerId: user.id } }),
      this.keyUsage(user, month, resetsAt),
    ]);
    const view: UsageView = { month, ...totals(mine), budget: budgetView(budgets.user, mine, resetsAt), keys };
    if (!isAdmin(user)) {
      return view;
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const [platform, page] = await Promise.all([
      this.ledger.get({ month, scope: { kind: 'platform' } }),
      this.ledger.listUsers(month, {
        limit: query.limit ?? DEFAULT_USERS_PAGE_SIZE,
        ...(after !== undefined ? { after } : {}),
      }),
    ]);
    return {
      ...view,
      platform: { ...totals(platform), budget: budgetView(budgets.platform, platform, resetsAt) },
      users: {
        items: page.users.map((record) => ({
          ownerId: record.scope.kind === 'user' ? record.scope.ownerId : '',
          ...totals(record),
          committedUsd: microsToUsd(record.committedMicros),
        })),
        nextCursor: page.nextAfter === undefined ? null : encodeCursor(page.nextAfter),
      },
    };
  }

  /** The month's usage of each of the caller's API keys that submitted jobs; a revoked key has no name any more. */
  private async keyUsage(user: AuthUser, month: string, resetsAt: Date): Promise<ApiKeyUsageView[]> {
    const records = await this.ledger.listKeys(month, user.id);
    if (records.length === 0) {
      return [];
    }
    const { keys } = await this.apiKeys.listByOwner(user.id, { limit: MAX_KEYS_IN_USAGE });
    const byId = new Map(keys.map((key) => [key.keyId, key]));
    return records.map((record) => {
      const keyId = record.scope.kind === 'key' ? record.scope.keyId : '';
      const key = byId.get(keyId);
      const limitMicros = key?.monthlyBudgetUsd === undefined ? undefined : usdToMicros(key.monthlyBudgetUsd);
      return {
        keyId,
        name: key?.name ?? null,
        ...totals(record),
        committedUsd: microsToUsd(record.committedMicros),
        budget: budgetView(limitMicros, record, resetsAt),
      };
    });
  }

  /** What a job would cost and how long it would take, and whether it fits; writes nothing. */
  async estimate(user: AuthUser, request: JobRequest): Promise<JobEstimateView> {
    const params = this.catalog.resolve(request);
    const model = this.catalog.get(params.modelId);
    const estimate = this.budget.estimate(params);
    const month = billingMonthOf(new Date());
    const lines = this.budget.linesFor(user, month);
    const remaining = (await Promise.all(lines.map((line) => this.budget.remainingMicros(line)))).filter(
      (micros): micros is number => micros !== undefined,
    );
    const tightest = remaining.length === 0 ? undefined : Math.min(...remaining);
    return {
      params,
      cost: {
        gpuSeconds: estimate.gpuSeconds,
        usd: estimate.usd,
        instanceType: model.hosting.instanceType,
        hourlyUsd: model.hosting.hourlyUsd,
      },
      // the api does not ask SageMaker whether an instance is up: both cases, the client knows which it can afford
      wait: {
        warmSeconds: estimate.gpuSeconds,
        coldSeconds: Math.round((estimate.gpuSeconds + model.hosting.coldStartSeconds) * 1000) / 1000,
      },
      budget: {
        remainingUsd: tightest === undefined ? null : microsToUsd(tightest),
        fits: tightest === undefined || estimate.micros <= tightest,
        resetsAt: monthResetsAt(month).toISOString(),
      },
    };
  }
}
