import { jest } from '@jest/globals';
import type { Settlement, UsageItemKey } from '#libs/aws';
import { JobStatus } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { UsageSettlement } from './usage-settlement.js';

describe(UsageSettlement.name, () => {
  const settle = jest.fn<(key: UsageItemKey, jobId: string, settlement: Settlement) => Promise<'settled'>>();
  const sut = new UsageSettlement({ settle });

  beforeEach(() => {
    settle.mockReset().mockResolvedValue('settled');
  });

  it('settles the user’s item, then the platform’s, in the month the job was created', async () => {
    const job = JobFactory.create({
      ownerId: 'alice',
      status: JobStatus.Succeeded,
      // created on the last millisecond of November, finished in December: November's usage
      createdAt: '2026-11-30T23:59:59.999Z',
      updatedAt: '2026-12-01T00:00:09.000Z',
      cost: { gpuSeconds: 9.401, usd: 0.003677 },
    });
    await sut.jobFinal(job);
    const settlement = { status: 'SUCCEEDED', actual: { gpuMs: 9401, costMicros: 3677 } };
    expect(settle.mock.calls).toEqual([
      [{ month: '2026-11', scope: { kind: 'user', ownerId: 'alice' } }, job.jobId, settlement],
      [{ month: '2026-11', scope: { kind: 'platform' } }, job.jobId, settlement],
    ]);
  });

  it('settles the key’s item first when an API key submitted the job', async () => {
    const job = JobFactory.create({
      ownerId: 'alice',
      apiKeyId: '01JD00000000000000000KEY01',
      status: JobStatus.Succeeded,
    });
    await sut.jobFinal(job);
    expect(settle.mock.calls.map(([key]) => key.scope)).toEqual([
      { kind: 'key', ownerId: 'alice', keyId: '01JD00000000000000000KEY01' },
      { kind: 'user', ownerId: 'alice' },
      { kind: 'platform' },
    ]);
  });

  it('settles the platform’s hold in the shard the job recorded', async () => {
    await sut.jobFinal(JobFactory.create({ ownerId: 'alice', status: JobStatus.Succeeded, usageShard: 9 }));
    expect(settle.mock.calls.map(([key]) => key.scope)).toEqual([
      { kind: 'user', ownerId: 'alice' },
      { kind: 'platform', shard: 9 },
    ]);
  });

  it('leaves the reservation as the cost of a job whose cost is unknown', async () => {
    const job = JobFactory.create({ status: JobStatus.TimedOut, createdAt: '2027-01-01T00:00:00.000Z' });
    await sut.jobFinal(job);
    expect(settle.mock.calls[0]![2]).toEqual({ status: 'TIMED_OUT' });
    expect(settle.mock.calls[0]![0].month).toBe('2027-01');
  });

  it('charges a refused submission nothing', async () => {
    await sut.jobFinal(JobFactory.create({ status: JobStatus.Failed, cost: { gpuSeconds: 0, usd: 0 } }));
    expect(settle.mock.calls[0]![2]).toEqual({ status: 'FAILED', actual: { gpuMs: 0, costMicros: 0 } });
  });
});
