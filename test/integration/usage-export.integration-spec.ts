import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ulid } from 'ulid';
import { AwsClients, awsAdapterFactories, type JobRepository, type UsageLedger } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { type Job, JobStatus } from '#libs/contracts';
import { ModelCatalog } from '#libs/models';
import { JobFactory } from '#libs/testing';
import { jobIdRangeOf } from '../../apps/api/src/usage/export/job-id-range.js';
import { EXPORT_JOBS_PAGE_SIZE, UsageExportService } from '../../apps/api/src/usage/export/usage-export.service.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

jest.setTimeout(60_000);

const MONTH = '2026-03';
const MONTH_START = Date.parse('2026-03-01T00:00:00.000Z');
const NEXT_MONTH_START = Date.parse('2026-04-01T00:00:00.000Z');

/** A job whose id and createdAt are both `time` (ms). */
const jobAt = (ownerId: string, time: number, overrides: Partial<Job> = {}): Job =>
  JobFactory.create({ ownerId, jobId: ulid(time), createdAt: new Date(time).toISOString(), ...overrides });

describe('usage export against dynalite', () => {
  let stack: TestStack;
  let jobs: JobRepository;
  let ledger: UsageLedger;

  beforeAll(async () => {
    stack = await startTestStack();
    const config = { aws: loadAwsConfig(stack.env), resources: loadResourcesConfig(stack.env) };
    const clients = new AwsClients(config.aws);
    jobs = awsAdapterFactories.jobRepository(config, clients);
    ledger = awsAdapterFactories.usageLedger(config, clients);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function store(list: Job[]): Promise<void> {
    for (let start = 0; start < list.length; start += 25) {
      await Promise.all(list.slice(start, start + 25).map((job) => jobs.create(job)));
    }
  }

  it('pages through an owner’s jobs in the id range, oldest first, one DynamoDB page at a time', async () => {
    const owner = `owner-${ulid()}`;
    const inside = [
      jobAt(owner, MONTH_START),
      ...Array.from({ length: 5 }, (_, i) => jobAt(owner, MONTH_START + (i + 1) * 86_400_000)),
      jobAt(owner, NEXT_MONTH_START - 1),
    ];
    const outside = [jobAt(owner, MONTH_START - 1), jobAt(owner, NEXT_MONTH_START)];
    await store([...outside, ...inside, jobAt(`other-${ulid()}`, MONTH_START + 1)]);

    const pages: Job[][] = [];
    const range = {
      from: ulid(MONTH_START).slice(0, 10) + '0'.repeat(16),
      to: ulid(NEXT_MONTH_START - 1).slice(0, 10) + 'Z'.repeat(16),
    };
    for await (const page of jobs.pagesByOwnerBetween(owner, { ...range, pageSize: 2 })) {
      pages.push(page);
    }
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat().map((job) => job.jobId)).toEqual(inside.map((job) => job.jobId).sort());
    expect(pages.flat()[0]).toEqual({ ...inside[0], version: 1 });
  });

  it('exports a month of more than one page per user, and every user of the ledger for an administrator', async () => {
    const [ann, bob] = [`ann-${ulid()}`, `bob-${ulid()}`].sort() as [string, string];
    const step = Math.floor((NEXT_MONTH_START - MONTH_START) / 300);
    const annJobs = Array.from({ length: EXPORT_JOBS_PAGE_SIZE * 2 + 30 }, (_, i) =>
      jobAt(ann, MONTH_START + i * step, {
        status: JobStatus.Succeeded,
        cost: { gpuSeconds: 1.234, usd: 0.000483 },
      }),
    );
    const bobJobs = [
      jobAt(bob, MONTH_START + 10, { status: JobStatus.Failed, cost: { gpuSeconds: 0.5, usd: 0.000196 } }),
      jobAt(bob, MONTH_START + 20, { status: JobStatus.Queued }),
    ];
    // a job of the month before, and one of the month after, next to the month's edges
    await store([...annJobs, ...bobJobs, jobAt(ann, MONTH_START - 1), jobAt(bob, NEXT_MONTH_START)]);
    // the ledger's month partition lists who has usage: a hold each is enough
    await ledger.reserve({ month: MONTH, scope: { kind: 'user', ownerId: ann } }, ulid(), 1);
    await ledger.reserve({ month: MONTH, scope: { kind: 'user', ownerId: bob } }, ulid(), 1);
    const readPages = jest.spyOn(jobs, 'pagesByOwnerBetween');
    const exporter = new UsageExportService(jobs, ledger, ModelCatalog.builtIn());

    const opened = await exporter.open({ id: ann, username: 'ann', groups: [] }, { month: MONTH });
    const annRows = [];
    for await (const row of opened.rows) {
      annRows.push(row);
    }
    expect(annRows.map((row) => row.jobId)).toEqual(annJobs.map((job) => job.jobId));
    expect(annRows[0]).toMatchObject({ status: 'SUCCEEDED', gpuSeconds: 1.234, usd: 0.000483 });
    expect(readPages).toHaveBeenCalledWith(ann, { ...jobIdRangeOf(MONTH), pageSize: EXPORT_JOBS_PAGE_SIZE });

    const admin = await exporter.open({ id: 'boss', username: 'boss', groups: ['admin'] }, { month: MONTH });
    const everyone = [];
    for await (const row of admin.rows) {
      everyone.push(row);
    }
    const ours = everyone.filter((row) => row.ownerId === ann || row.ownerId === bob);
    expect(ours.map((row) => row.jobId)).toEqual([...annJobs, ...bobJobs].map((job) => job.jobId));
    expect(ours.at(-1)).toMatchObject({ status: 'QUEUED', gpuSeconds: null, usd: null });
  });
});
