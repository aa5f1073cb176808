import { type z } from 'zod';
import { booleanFromEnv, nonNegativeIntFromEnv, positiveIntFromEnv } from '#libs/config';

export interface ReaperConfig {
  /** Off: this worker runs no sweep (another one must, or jobs past their deadline stay QUEUED). */
  enabled: boolean;
  /** Pause between two sweeps (a sweep that found a full page runs again at once). */
  intervalMs: number;
  /** Jobs read per index shard and sweep. */
  batchSize: number;
  /**
   * How long after its deadline an unfinished job is timed out: room for SageMaker's own timeout notification
   * (which says whether the job expired in the queue or ran too long) to arrive first.
   */
  graceMs: number;
}

export const DEFAULT_REAPER: ReaperConfig = { enabled: true, intervalMs: 10_000, batchSize: 25, graceMs: 30_000 };

export const reaperEnvShape = {
  WORKER_REAPER_ENABLED: booleanFromEnv.default(true),
  WORKER_REAPER_INTERVAL_MS: positiveIntFromEnv.min(10).max(3_600_000).default(DEFAULT_REAPER.intervalMs),
  WORKER_REAPER_BATCH_SIZE: positiveIntFromEnv.max(100).default(DEFAULT_REAPER.batchSize),
  WORKER_REAPER_GRACE_SECONDS: nonNegativeIntFromEnv.max(3600).default(DEFAULT_REAPER.graceMs / 1000),
};

type ReaperEnv = { [K in keyof typeof reaperEnvShape]: z.output<(typeof reaperEnvShape)[K]> };

export function reaperConfigFrom(parsed: ReaperEnv): ReaperConfig {
  return {
    enabled: parsed.WORKER_REAPER_ENABLED,
    intervalMs: parsed.WORKER_REAPER_INTERVAL_MS,
    batchSize: parsed.WORKER_REAPER_BATCH_SIZE,
    graceMs: parsed.WORKER_REAPER_GRACE_SECONDS * 1000,
  };
}
