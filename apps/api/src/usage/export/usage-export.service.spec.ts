import { describe, expect, it, jest } from '@jest/globals';
import { ulid } from 'ulid';
import { DependencyUnavailableError, type JobRepository, type UsageLedger, type UsagePage } from '#libs/aws';
import { type Job, JobStatus } from '#libs/contracts';
import { estimateCost, ModelCatalog } from '#libs/models';
import { JobFactory } from '#libs/testing';
import { ProblemException } from '../../problem/problem.js';
import { jobIdRangeOf } from './job-id-range.js';
import type { UsageExportRow } from './usage-export.row.js';
import { UsageExportService } from './usage-export.service.js';

const alice = { id: 'alice', username: 'alice', groups: [] };
const boss = { id: 'boss', username: 'boss', groups: ['admin'] };
const MONTH = '2026-11';

const jobAt = (ownerId: string, iso: string, overrides: Partial<Job> = {}): Job =>
  JobFactory.create({ ownerId, jobId: ulid(Date.parse(iso)), createdAt: iso, ...overrides });

const userRecord = (ownerId: string) => ({ scope: { kind: 'user' as const, ownerId } }) as UsagePage['users'][number];

/** A jobs table in memory, paged like DynamoDB: `pages` per owner, each page one call. */
function fakeJobs(pagesByOwner: Record<string, Array<Job[] | Error>>) {
  const reads: string[] = [];
  const pagesByOwnerBetween = jest.fn(async function* (ownerId: string, range: { from: string; to: string }) {
    for (const page of pagesByOwner[ownerId] ?? []) {
      reads.push(ownerId);
      if (page instanceof Error) {
        throw page;
      }
      yield page.filter((job) => job.jobId >= range.from && job.jobId <= range.to);
    }
  });
  return { repository: { pagesByOwnerBetween } as unknown as JobRepository, reads, pagesByOwnerBetween };
}

function fakeLedger(pages: UsagePage[]) {
  const listUsers = jest.fn<UsageLedger['listUsers']>();
  for (const page of pages) {
    listUsers.mockResolvedValueOnce(page);
  }
  return { ledger: { listUsers } as unknown as UsageLedger, listUsers };
}

async function collect(rows: AsyncIterable<UsageExportRow>): Promise<UsageExportRow[]> {
  const all = [];
  for await (const row of rows) {
    all.push(row);
  }
  return all;
}

const service = (jobs: JobRepository, ledger: UsageLedger = fakeLedger([]).ledger) =>
  new UsageExportService(jobs, ledger, ModelCatalog.builtIn());

describe(UsageExportService.name, () => {
  it('exports the caller’s jobs of the month, page after page, by the month’s id range', async () => {
    const first = [jobAt('alice', '2026-11-01T00:00:00.000Z'), jobAt('alice', '2026-11-15T10:00:00.000Z')];
    const second = [jobAt('alice', '2026-11-30T23:59:59.999Z')];
    const jobs = fakeJobs({ alice: [first, second] });
    const opened = await service(jobs.repository).open(alice, { month: MONTH });
    expect(opened.month).toBe(MONTH);
    expect((await collect(opened.rows)).map((row) => row.jobId)).toEqual([...first, ...second].map((j) => j.jobId));
    expect(jobs.pagesByOwnerBetween).toHaveBeenCalledWith('alice', expect.objectContaining(jobIdRangeOf(MONTH)));
  });

  it('keeps a job by the month of its createdAt, the rule of GET /v1/usage, when its id is on the other side', async () => {
    // ids drawn a moment before midnight, createdAt read just after it (and the reverse)
    const late = JobFactory.create({
      ownerId: 'alice',
      jobId: ulid(Date.parse('2026-10-31T23:59:59.999Z')),
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const early = JobFactory.create({
      ownerId: 'alice',
      jobId: ulid(Date.parse('2026-11-30T23:59:59.999Z')),
      createdAt: '2026-12-01T00:00:00.001Z',
    });
    const jobs = fakeJobs({ alice: [[late, early]] });
    const rows = await collect((await service(jobs.repository).open(alice, { month: MONTH })).rows);
    expect(rows.map((row) => row.jobId)).toEqual([late.jobId]);
  });

  it('defaults to this month (UTC)', async () => {
    const jobs = fakeJobs({ alice: [[jobAt('alice', new Date().toISOString())]] });
    const opened = await service(jobs.repository).open(alice, {});
    expect(opened.month).toBe(new Date().toISOString().slice(0, 7));
    expect(await collect(opened.rows)).toHaveLength(1);
  });

  it('refuses `owner` to anyone but an administrator, even their own id', async () => {
    const jobs = fakeJobs({});
    for (const owner of ['bob', 'alice']) {
      const refused = service(jobs.repository).open(alice, { month: MONTH, owner });
      await expect(refused).rejects.toBeInstanceOf(ProblemException);
      await expect(service(jobs.repository).open(alice, { month: MONTH, owner })).rejects.toMatchObject({
        status: 403,
      });
    }
    expect(jobs.pagesByOwnerBetween).not.toHaveBeenCalled();
  });

  it('exports one user for an administrator who names them', async () => {
    const jobs = fakeJobs({
      bob: [[jobAt('bob', '2026-11-02T00:00:00.000Z')]],
      boss: [[jobAt('boss', '2026-11-02T00:00:00.000Z')]],
    });
    const rows = await collect((await service(jobs.repository).open(boss, { month: MONTH, owner: 'bob' })).rows);
    expect(rows.map((row) => row.ownerId)).toEqual(['bob']);
  });

  it('exports every user of the month’s ledger partition for an administrator, a ledger page at a time', async () => {
    const jobs = fakeJobs({
      ann: [[jobAt('ann', '2026-11-02T00:00:00.000Z')]],
      bob: [[jobAt('bob', '2026-11-03T00:00:00.000Z')], [jobAt('bob', '2026-11-04T00:00:00.000Z')]],
      cat: [[jobAt('cat', '2026-11-05T00:00:00.000Z')]],
    });
    const { ledger, listUsers } = fakeLedger([
      { users: [userRecord('ann'), userRecord('bob')], nextAfter: 'bob' },
      { users: [userRecord('cat')] },
    ]);
    const rows = await collect((await service(jobs.repository, ledger).open(boss, { month: MONTH })).rows);
    expect(rows.map((row) => row.ownerId)).toEqual(['ann', 'bob', 'bob', 'cat']);
    expect(listUsers.mock.calls).toEqual([
      [MONTH, { limit: 100 }],
      [MONTH, { limit: 100, after: 'bob' }],
    ]);
  });

  it('fails to open (an error answer, 503) when the first page cannot be read', async () => {
    const down = new DependencyUnavailableError('DynamoDB', 'DynamoDB is unavailable');
    await expect(service(fakeJobs({ alice: [down] }).repository).open(alice, { month: MONTH })).rejects.toBe(down);
    const { ledger } = fakeLedger([]);
    jest.mocked(ledger.listUsers).mockRejectedValueOnce(down);
    await expect(service(fakeJobs({}).repository, ledger).open(boss, { month: MONTH })).rejects.toBe(down);
  });

  it('opens once a row is read, and fails part-way (the answer is cut) when a later page cannot be read', async () => {
    const down = new DependencyUnavailableError('DynamoDB', 'DynamoDB is unavailable');
    const jobs = fakeJobs({ alice: [[jobAt('alice', '2026-11-02T00:00:00.000Z')], down] });
    const opened = await service(jobs.repository).open(alice, { month: MONTH });
    const iterator = opened.rows[Symbol.asyncIterator]();
    await expect(iterator.next()).resolves.toMatchObject({ done: false });
    await expect(iterator.next()).rejects.toBe(down);
  });

  it('reads the first page to open, and no further page than the reader asks for', async () => {
    const jobs = fakeJobs({
      alice: [[jobAt('alice', '2026-11-02T00:00:00.000Z')], [jobAt('alice', '2026-11-03T00:00:00.000Z')]],
    });
    const opened = await service(jobs.repository).open(alice, { month: MONTH });
    expect(jobs.reads).toEqual(['alice']);
    for await (const _row of opened.rows) {
      break;
    }
    expect(jobs.reads).toEqual(['alice']);
  });

  it('charges a final job without a recorded cost its estimate, what its submission reserved', async () => {
    const job = jobAt('alice', '2026-11-02T00:00:00.000Z', { status: JobStatus.TimedOut });
    const estimate = estimateCost(ModelCatalog.builtIn().get(job.params.modelId), job.params);
    const [row] = await collect(
      (await service(fakeJobs({ alice: [[job]] }).repository).open(alice, { month: MONTH })).rows,
    );
    expect(row).toMatchObject({ status: 'TIMED_OUT', gpuSeconds: 0, usd: estimate.micros / 1_000_000 });
  });
});
