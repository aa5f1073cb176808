import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import { DependencyUnavailableError, type UsageItemKey, type UsageLedger } from '#libs/aws';
import { ModelCatalog } from '#libs/models';
import { JobParamsFactory } from '#libs/testing';
import type { ApiConfig } from '../config/api.config.js';
import type { LimitsConfig } from '../config/limits.config.js';
import { ProblemException } from '../problem/problem.js';
import { BudgetService } from './budget.service.js';

const alice = { id: 'alice', username: 'alice', groups: [] };
const boss = { id: 'boss', username: 'boss', groups: ['admin'] };
// SDXL, 30 steps, 1024x1024: 9.402 GPU seconds x $1.408/h = $0.003677...
const params = JobParamsFactory.create({ modelId: 'stable-diffusion-xl', steps: 30, width: 1024, height: 1024 });
const ESTIMATE_MICROS = 3678;
const job = { jobId: 'job-1', params, createdAt: '2026-11-30T23:59:59.000Z' };

describe(BudgetService.name, () => {
  let ledger: {
    reserve: jest.Mock<UsageLedger['reserve']>;
    release: jest.Mock<UsageLedger['release']>;
  };
  const logger = { setContext: jest.fn(), info: jest.fn(), error: jest.fn() };

  function service(limits: Partial<LimitsConfig> = {}): BudgetService {
    const config = { limits: { defaults: {}, groups: { admin: {} }, ...limits } } as unknown as ApiConfig;
    return new BudgetService(
      ledger as unknown as UsageLedger,
      ModelCatalog.builtIn(),
      logger as unknown as PinoLogger,
      config,
    );
  }

  beforeEach(() => {
    ledger = {
      reserve: jest.fn<UsageLedger['reserve']>().mockResolvedValue(true),
      release: jest.fn<UsageLedger['release']>().mockResolvedValue(true),
    };
    jest.useFakeTimers({ now: new Date('2026-11-30T23:59:59.000Z'), doNotFake: ['nextTick', 'setImmediate'] });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const userKey: UsageItemKey = { month: '2026-11', scope: { kind: 'user', ownerId: 'alice' } };
  // the platform's shard is picked from the job's id (platform-shares.spec.ts)
  const platformKey = { month: '2026-11', scope: { kind: 'platform', shard: expect.any(Number) } };

  it('holds the estimate on the user’s item, then the platform’s, in the job’s month, with each budget', async () => {
    const sut = service({ defaults: { monthlyBudgetUsd: 2.5 }, platformMonthlyBudgetUsd: 1000 });
    const reservation = await sut.reserve(alice, job);
    expect(reservation.estimate.micros).toBe(ESTIMATE_MICROS);
    expect(ledger.reserve.mock.calls).toEqual([
      [userKey, 'job-1', ESTIMATE_MICROS, 2_500_000],
      // $1,000 in 16 shares of $62.50
      [platformKey, 'job-1', ESTIMATE_MICROS, 62_500_000],
    ]);
    expect(ledger.release).not.toHaveBeenCalled();
  });

  it('tries the platform’s next share when one is full, and gives back the hold where it was taken', async () => {
    ledger.reserve.mockResolvedValueOnce(true).mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    const reservation = await service({ platformMonthlyBudgetUsd: 30 }).reserve(alice, job);
    const [, first, second] = ledger.reserve.mock.calls.map((call) => call[0].scope);
    // $30 in 3 shares of $10: the second try is the next shard round
    expect(ledger.reserve.mock.calls.map((call) => call[3])).toEqual([undefined, 10_000_000, 10_000_000]);
    expect(second).toEqual({ kind: 'platform', shard: ((first as { shard: number }).shard + 1) % 3 });
    // the job records where its hold is, for its settlement
    expect(reservation.platformShard).toBe((second as { shard: number }).shard);
    await reservation.release();
    expect(ledger.release.mock.calls[0]).toEqual([{ month: '2026-11', scope: second }, 'job-1', ESTIMATE_MICROS]);
  });

  it('refuses with budget `platform` only when no share of it has room, and undoes the user’s hold', async () => {
    ledger.reserve.mockResolvedValueOnce(true).mockResolvedValue(false);
    await expect(service({ platformMonthlyBudgetUsd: 30 }).reserve(alice, job)).rejects.toMatchObject({
      problem: { budget: 'platform' },
    });
    const shards = ledger.reserve.mock.calls.slice(1).map((call) => (call[0].scope as { shard: number }).shard);
    expect([...shards].sort()).toEqual([0, 1, 2]);
    expect(ledger.release.mock.calls).toEqual([[userKey, 'job-1', ESTIMATE_MICROS]]);
  });

  it('records usage without a budget: holds with no limit', async () => {
    await service().reserve(boss, job);
    expect(ledger.reserve.mock.calls.map((call) => call[3])).toEqual([undefined, undefined]);
  });

  it('refuses with 429 budget-exhausted (user), Retry-After to the reset, and never asks the platform', async () => {
    ledger.reserve.mockResolvedValueOnce(false);
    const error = (await service({ defaults: { monthlyBudgetUsd: 1 } })
      .reserve(alice, job)
      .catch((thrown: unknown) => thrown)) as ProblemException;
    expect(error).toBeInstanceOf(ProblemException);
    expect(error.problem).toMatchObject({
      status: 429,
      type: '/problems/budget-exhausted',
      budget: 'user',
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
    // one second before midnight UTC
    expect(error.headers).toEqual({ 'retry-after': '1' });
    expect(ledger.reserve).toHaveBeenCalledTimes(1);
    expect(ledger.release).not.toHaveBeenCalled();
  });

  it('undoes the user’s hold when the platform refuses, and says the platform’s budget is spent', async () => {
    ledger.reserve.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    await expect(service({ platformMonthlyBudgetUsd: 10 }).reserve(alice, job)).rejects.toMatchObject({
      problem: { budget: 'platform', resetsAt: '2026-12-01T00:00:00.000Z' },
    });
    expect(ledger.release.mock.calls).toEqual([[userKey, 'job-1', ESTIMATE_MICROS]]);
  });

  it('undoes the user’s hold when the platform’s item cannot be written', async () => {
    ledger.reserve.mockResolvedValueOnce(true).mockRejectedValueOnce(new DependencyUnavailableError('DynamoDB', 'x'));
    await expect(service().reserve(alice, job)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(ledger.release.mock.calls).toEqual([[userKey, 'job-1', ESTIMATE_MICROS]]);
  });

  it('releases both holds, platform first, and survives a release that fails', async () => {
    const reservation = await service().reserve(alice, job);
    ledger.release.mockRejectedValueOnce(new DependencyUnavailableError('DynamoDB', 'x'));
    await reservation.release();
    expect(ledger.release.mock.calls).toEqual([
      [platformKey, 'job-1', ESTIMATE_MICROS],
      [userKey, 'job-1', ESTIMATE_MICROS],
    ]);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('gives both holds back when a step wrapped in releaseOnFailure throws, and passes a result through', async () => {
    const reservation = await service().reserve(alice, job);
    await expect(reservation.releaseOnFailure(async () => 'written')).resolves.toBe('written');
    expect(ledger.release).not.toHaveBeenCalled();
    const failure = new DependencyUnavailableError('S3', 'down');
    await expect(reservation.releaseOnFailure(() => Promise.reject(failure))).rejects.toBe(failure);
    expect(ledger.release.mock.calls).toEqual([
      [platformKey, 'job-1', ESTIMATE_MICROS],
      [userKey, 'job-1', ESTIMATE_MICROS],
    ]);
  });

  describe('a job submitted with an API key', () => {
    const viaKey = { ...alice, apiKey: { id: 'key-1', scopes: ['jobs:write' as const], monthlyBudgetUsd: 0.5 } };
    const keyKey: UsageItemKey = { month: '2026-11', scope: { kind: 'key', ownerId: 'alice', keyId: 'key-1' } };

    it('holds the estimate on the key’s item first, with the key’s budget, then the user’s and the platform’s', async () => {
      await service({ defaults: { monthlyBudgetUsd: 2.5 } }).reserve(viaKey, job);
      expect(ledger.reserve.mock.calls).toEqual([
        [keyKey, 'job-1', ESTIMATE_MICROS, 500_000],
        [userKey, 'job-1', ESTIMATE_MICROS, 2_500_000],
        [platformKey, 'job-1', ESTIMATE_MICROS, undefined],
      ]);
    });

    it('refuses with budget `key` when the key’s budget has no room, and asks no other budget', async () => {
      ledger.reserve.mockResolvedValueOnce(false);
      await expect(service().reserve(viaKey, job)).rejects.toMatchObject({ problem: { status: 429, budget: 'key' } });
      expect(ledger.reserve).toHaveBeenCalledTimes(1);
    });

    it('undoes the key’s hold when the owner’s budget refuses (the owner’s limits still apply)', async () => {
      ledger.reserve.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
      await expect(service({ defaults: { monthlyBudgetUsd: 1 } }).reserve(viaKey, job)).rejects.toMatchObject({
        problem: { budget: 'user' },
      });
      expect(ledger.release.mock.calls).toEqual([[keyKey, 'job-1', ESTIMATE_MICROS]]);
    });

    it('records the key’s usage even when the key has no budget', async () => {
      await service().reserve({ ...alice, apiKey: { id: 'key-1', scopes: ['jobs:write'] } }, job);
      expect(ledger.reserve.mock.calls[0]!.slice(0, 1).concat(ledger.reserve.mock.calls[0]![3])).toEqual([
        keyKey,
        undefined,
      ]);
    });
  });

  it('takes the user’s budget from their groups', () => {
    const sut = service({ defaults: { monthlyBudgetUsd: 5 }, groups: { admin: {}, pro: { monthlyBudgetUsd: 50 } } });
    expect(sut.budgetsFor(alice)).toEqual({ user: 5_000_000 });
    expect(sut.budgetsFor({ ...alice, groups: ['pro'] })).toEqual({ user: 50_000_000 });
    expect(sut.budgetsFor(boss)).toEqual({});
  });
});
