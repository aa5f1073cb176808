import { z } from 'zod';
import { type Env, parseEnv, positiveIntFromEnv } from '#libs/config';

export interface BatchesConfig {
  /**
   * How many of one batch's invocations are in flight to SageMaker at once: the batch's jobs enter the endpoint's
   * queue a few at a time, interleaved with everyone else's submissions, instead of all at once.
   */
  invokeConcurrency: number;
}

export const DEFAULT_BATCHES: BatchesConfig = { invokeConcurrency: 4 };

/** At most this many jobs in one batch. */
export const MAX_BATCH_JOBS = 100;

const batchesEnvSchema = z.object({
  BATCH_INVOKE_CONCURRENCY: positiveIntFromEnv.max(MAX_BATCH_JOBS).default(DEFAULT_BATCHES.invokeConcurrency),
});

export function loadBatchesConfig(env: Env): BatchesConfig {
  return { invokeConcurrency: parseEnv(batchesEnvSchema, env).BATCH_INVOKE_CONCURRENCY };
}
