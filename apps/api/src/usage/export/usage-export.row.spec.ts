import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { JobStatus, usdToMicros } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { toUsageExportRow, UsageExportTally } from './usage-export.row.js';

const CREATED = '2026-11-30T23:59:58.000Z';
const FINALIZED = '2026-12-01T00:00:09.000Z';

describe('usage export rows', () => {
  it('maps a final job: owner, model, status, charged GPU seconds and USD, end and timings', () => {
    const job = JobFactory.create({
      jobId: '01JD0000000000000000000000',
      ownerId: 'alice',
      status: JobStatus.Succeeded,
      createdAt: CREATED,
      timings: { submittedAt: CREATED, finalizedAt: FINALIZED, queueMs: 12, inferenceMs: 9402, totalMs: 11_000 },
      cost: { gpuSeconds: 9.402, usd: 0.003678 },
    });
    expect(toUsageExportRow(job)).toEqual({
      jobId: '01JD0000000000000000000000',
      ownerId: 'alice',
      apiKeyId: null,
      modelId: job.params.modelId,
      status: 'SUCCEEDED',
      gpuSeconds: 9.402,
      usd: 0.003678,
      createdAt: CREATED,
      finalizedAt: FINALIZED,
      queueMs: 12,
      inferenceMs: 9402,
      totalMs: 11_000,
    });
  });

  it('leaves the cost, the end and the missing timings empty while a job is in flight', () => {
    const row = toUsageExportRow(
      JobFactory.create({ status: JobStatus.Running, timings: { submittedAt: CREATED, queueMs: 5 } }),
      1234,
    );
    expect(row).toMatchObject({ gpuSeconds: null, usd: null, finalizedAt: null, queueMs: 5, inferenceMs: null });
  });

  it('charges a final job without a recorded cost what it reserved, and no GPU time, as the ledger does', () => {
    const job = JobFactory.create({ status: JobStatus.TimedOut });
    expect(toUsageExportRow(job, 3678)).toMatchObject({ gpuSeconds: 0, usd: 0.003678 });
    expect(toUsageExportRow(job)).toMatchObject({ gpuSeconds: 0, usd: null });
  });

  it('reads the API key a job was submitted with, when the job records one', () => {
    const job = { ...JobFactory.create(), apiKeyId: 'key_01JD' };
    expect(toUsageExportRow(job).apiKeyId).toBe('key_01JD');
  });

  it('rounds as UsageSettlement books a job: GPU time to the millisecond, USD up to the micro-dollar (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100_000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (gpuSeconds, usd) => {
          const row = toUsageExportRow(JobFactory.create({ status: JobStatus.Failed, cost: { gpuSeconds, usd } }));
          expect(row.gpuSeconds).toBe(Math.round(gpuSeconds * 1000) / 1000);
          expect(row.usd).toBe(usdToMicros(usd) / 1_000_000);
          const tally = new UsageExportTally();
          tally.add(row);
          tally.add(row);
          // what the ledger adds per job: Math.round(gpuSeconds * 1000) ms and usdToMicros(usd)
          expect(tally.gpuSeconds).toBe((2 * Math.round(gpuSeconds * 1000)) / 1000);
          expect(tally.usd).toBe((2 * usdToMicros(usd)) / 1_000_000);
        },
      ),
    );
  });

  it('tallies every row and the costs of the final ones', () => {
    const tally = new UsageExportTally();
    tally.add(toUsageExportRow(JobFactory.create({ status: JobStatus.Queued })));
    tally.add(
      toUsageExportRow(JobFactory.create({ status: JobStatus.Succeeded, cost: { gpuSeconds: 0.1, usd: 0.000001 } })),
    );
    tally.add(
      toUsageExportRow(JobFactory.create({ status: JobStatus.Failed, cost: { gpuSeconds: 0.2, usd: 0.000002 } })),
    );
    expect({ rows: tally.rows, gpuSeconds: tally.gpuSeconds, usd: tally.usd }).toEqual({
      rows: 3,
      gpuSeconds: 0.3,
      usd: 0.000003,
    });
  });
});
