import { isFinalStatus, type Job, type JobStatus, MICROS_PER_USD, microsToUsd, usdToMicros } from '#libs/contracts';

/** One job of a usage export: the same fields, in this order, as CSV columns and NDJSON members. */
export interface UsageExportRow {
  jobId: string;
  ownerId: string;
  /** The API key the job was submitted with; null for a job submitted with a user's token. */
  apiKeyId: string | null;
  modelId: string;
  status: JobStatus;
  /** Final jobs: the GPU seconds charged (as GET /v1/usage sums them); null while the job is in flight. */
  gpuSeconds: number | null;
  /** Final jobs: the USD charged, whole micro-dollars; null while in flight (or when the price is unknown). */
  usd: number | null;
  createdAt: string;
  finalizedAt: string | null;
  queueMs: number | null;
  inferenceMs: number | null;
  totalMs: number | null;
}

export const USAGE_EXPORT_COLUMNS = [
  'jobId',
  'ownerId',
  'apiKeyId',
  'modelId',
  'status',
  'gpuSeconds',
  'usd',
  'createdAt',
  'finalizedAt',
  'queueMs',
  'inferenceMs',
  'totalMs',
] as const satisfies readonly (keyof UsageExportRow)[];

/**
 * A job as a row, charged exactly as UsageSettlement books it in the ledger: GPU time rounded to whole
 * milliseconds, the price rounded up to whole micro-dollars. A final job without a recorded cost is charged what
 * its submission reserved (`reservedMicros`, its estimate) and no GPU time, as the ledger does.
 */
export function toUsageExportRow(job: Job, reservedMicros?: number): UsageExportRow {
  let gpuSeconds: number | null = null;
  let usd: number | null = null;
  if (isFinalStatus(job.status)) {
    if (job.cost) {
      gpuSeconds = Math.round(job.cost.gpuSeconds * 1000) / 1000;
      usd = microsToUsd(usdToMicros(job.cost.usd));
    } else {
      gpuSeconds = 0;
      usd = reservedMicros === undefined ? null : microsToUsd(reservedMicros);
    }
  }
  return {
    jobId: job.jobId,
    ownerId: job.ownerId,
    apiKeyId: job.apiKeyId ?? null,
    modelId: job.params.modelId,
    status: job.status,
    gpuSeconds,
    usd,
    createdAt: job.createdAt,
    finalizedAt: job.timings.finalizedAt ?? null,
    queueMs: job.timings.queueMs ?? null,
    inferenceMs: job.timings.inferenceMs ?? null,
    totalMs: job.timings.totalMs ?? null,
  };
}

/** Running totals over final rows, in whole milliseconds and micro-dollars, so that they add up exactly. */
export class UsageExportTally {
  rows = 0;
  private gpuMs = 0;
  private micros = 0;

  add(row: UsageExportRow): void {
    this.rows += 1;
    if (row.gpuSeconds !== null) {
      this.gpuMs += Math.round(row.gpuSeconds * 1000);
    }
    if (row.usd !== null) {
      this.micros += Math.round(row.usd * MICROS_PER_USD);
    }
  }

  get gpuSeconds(): number {
    return this.gpuMs / 1000;
  }

  get usd(): number {
    return microsToUsd(this.micros);
  }
}
