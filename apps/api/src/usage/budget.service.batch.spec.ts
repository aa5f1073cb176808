import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import type { JobHold, UsageItemKey, UsageLedger, UsageRecord } from '#libs/aws';
import { ModelCatalog } from '#libs/models';
import { JobParamsFactory } from '#libs/testing';
import type { ApiConfig } from '../config/api.config.js';
import type { LimitsConfig } from '../config/limits.config.js';
import type { ProblemException } from '../problem/problem.js';
import { BudgetService } from './budget.service.js';

const alice = { id: 'alice', username: 'alice', groups: [] };
const params = JobParamsFactory.create({ modelId: 'stable-diffusion-xl', steps: 30, width: 1024, height: 1024 });
const ESTIMATE_MICROS = 3678;
const createdAt = '2026-11-30T12:00:00.000Z';
const jobs = ['a', 'b', 'c'].map((jobId) => ({ jobId, params, createdAt }));
const holds: JobHold[] = ['a', 'b', 'c'].map((jobId) => ({ jobId, micros: ESTIMATE_MICROS }));
const userKey: UsageItemKey = { month: '2026-11', scope: { kind: 'user', ownerId: 'alice' } };
const platformKey = { month: '2026-11', scope: { kind: 'platform', shard: expect.any(Number) } };

describe(`${BudgetService.name}.reserveBatch`, () => {
  let ledger: {
    reserveMany: jest.Mock<UsageLedger['reserveMany']>;
    releaseMany: jest.Mock<UsageLedger['releaseMany']>;
    get: jest.Mock<UsageLedger['get']>;
    getPlatformShards: jest.Mock<UsageLedger['getPlatformShards']>;
  };

  function service(limits: Partial<LimitsConfig> = {}): BudgetService {
    const config = { limits: { defaults: {}, groups: {}, ...limits } } as unknown as ApiConfig;
    const logger = { setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    return new BudgetService(
      ledger as unknown as UsageLedger,
      ModelCatalog.builtIn(),
      logger as unknown as PinoLogger,
      config,
    );
  }

  beforeEach(() => {
    ledger = {
      reserveMany: jest.fn<UsageLedger['reserveMany']>().mockResolvedValue(true),
      releaseMany: jest.fn<UsageLedger['releaseMany']>().mockResolvedValue(true),
      get: jest.fn<UsageLedger['get']>(),
      getPlatformShards: jest.fn<UsageLedger['getPlatformShards']>().mockResolvedValue([]),
    };
  });

  it('holds every job’s estimate in one write per budget, against each budget', async () => {
    const reservation = await service({
      defaults: { monthlyBudgetUsd: 2 },
      platformMonthlyBudgetUsd: 1000,
    }).reserveBatch(alice, jobs);

    expect(ledger.reserveMany.mock.calls).toEqual([
      [userKey, holds, 2_000_000],
      // $1,000 in 16 shares of $62.50
      [platformKey, holds, 62_500_000],
    ]);
    // the batch's jobs record the shard that took their holds, for their settlements
    expect(ledger.reserveMany.mock.calls[1]![0].scope).toEqual({ kind: 'platform', shard: reservation.platformShard });
    expect(ledger.releaseMany).not.toHaveBeenCalled();
  });

  it('refuses the whole batch with what it needed and what is left when the user’s budget has no room', async () => {
    ledger.reserveMany.mockResolvedValueOnce(false);
    ledger.get.mockResolvedValue({ committedMicros: 1_995_000 } as UsageRecord);

    const refused = (await service({ defaults: { monthlyBudgetUsd: 2 } })
      .reserveBatch(alice, jobs)
      .catch((error: unknown) => error)) as ProblemException;

    expect(refused.problem).toMatchObject({
      type: '/problems/budget-exhausted',
      budget: 'user',
      jobsRequested: 3,
      estimatedUsd: (3 * ESTIMATE_MICROS) / 1_000_000,
      remainingUsd: 0.005,
    });
    expect(ledger.reserveMany).toHaveBeenCalledTimes(1);
  });

  it('gives the user’s holds back when the platform’s budget refuses', async () => {
    ledger.reserveMany.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    ledger.get.mockResolvedValue({ committedMicros: 0 } as UsageRecord);

    const refused = (await service({ platformMonthlyBudgetUsd: 0.01 })
      .reserveBatch(alice, jobs)
      .catch((error: unknown) => error)) as ProblemException;

    expect(refused.problem).toMatchObject({ budget: 'platform', remainingUsd: 0.01 });
    expect(ledger.releaseMany.mock.calls).toEqual([[userKey, holds]]);
  });

  it('says what is left in the platform share with the most room when no share fits the batch', async () => {
    ledger.reserveMany.mockResolvedValueOnce(true).mockResolvedValue(false);
    // $30 in 3 shares of $10
    ledger.getPlatformShards.mockResolvedValue([
      { scope: { kind: 'platform', shard: 0 }, committedMicros: 9_999_000 } as UsageRecord,
      { scope: { kind: 'platform', shard: 2 }, committedMicros: 9_990_000 } as UsageRecord,
      { scope: { kind: 'platform', shard: 1 }, committedMicros: 9_995_000 } as UsageRecord,
    ]);
    const refused = (await service({ platformMonthlyBudgetUsd: 30 })
      .reserveBatch(alice, jobs)
      .catch((error: unknown) => error)) as ProblemException;
    expect(refused.problem).toMatchObject({ budget: 'platform', remainingUsd: 0.01 });
    expect(ledger.reserveMany).toHaveBeenCalledTimes(4);
  });

  it('releases the holds of the jobs it is told, on both budgets', async () => {
    const reservation = await service().reserveBatch(alice, jobs);

    await reservation.release(['b', 'c']);

    expect(ledger.releaseMany.mock.calls).toEqual([
      [platformKey, holds.slice(1)],
      [userKey, holds.slice(1)],
    ]);
  });

  describe('a batch submitted with an API key', () => {
    const viaKey = { ...alice, apiKey: { id: 'key-1', scopes: ['jobs:write' as const], monthlyBudgetUsd: 0.01 } };
    const keyKey: UsageItemKey = { month: '2026-11', scope: { kind: 'key', ownerId: 'alice', keyId: 'key-1' } };

    it('holds the batch on the key’s item first, with the key’s budget', async () => {
      await service().reserveBatch(viaKey, jobs);
      expect(ledger.reserveMany.mock.calls).toEqual([
        [keyKey, holds, 10_000],
        [userKey, holds, undefined],
        [platformKey, holds, undefined],
      ]);
    });

    it('refuses the whole batch with budget `key` when the key’s budget has no room, asking no other budget', async () => {
      ledger.reserveMany.mockResolvedValueOnce(false);
      ledger.get.mockResolvedValue({ committedMicros: 0 } as UsageRecord);
      const refused = (await service()
        .reserveBatch(viaKey, jobs)
        .catch((error: unknown) => error)) as ProblemException;
      expect(refused.problem).toMatchObject({ status: 429, budget: 'key', jobsRequested: 3, remainingUsd: 0.01 });
      expect(ledger.reserveMany).toHaveBeenCalledTimes(1);
    });

    it('gives the key’s hold back when the platform’s budget refuses, the user’s too, newest first', async () => {
      ledger.reserveMany.mockResolvedValueOnce(true).mockResolvedValueOnce(true).mockResolvedValueOnce(false);
      ledger.get.mockResolvedValue({ committedMicros: 0 } as UsageRecord);
      await expect(service({ platformMonthlyBudgetUsd: 0.001 }).reserveBatch(viaKey, jobs)).rejects.toMatchObject({
        problem: { budget: 'platform' },
      });
      expect(ledger.releaseMany.mock.calls).toEqual([
        [userKey, holds],
        [keyKey, holds],
      ]);
    });
  });
});
