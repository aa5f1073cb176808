import { z } from 'zod';
import {
  type Env,
  loadPlatformConfig,
  nonNegativeIntFromEnv,
  parseEnv,
  type PlatformConfig,
  positiveIntFromEnv,
} from '#libs/config';

export interface ConsumerConfig {
  /** Messages processed at the same time. */
  concurrency: number;
  /** Messages asked for per ReceiveMessage (1–10). */
  batchSize: number;
  /** Long-poll wait (0–20 s). */
  waitTimeSeconds: number;
  /** How long a received message stays hidden while we work on it. */
  visibilityTimeoutSeconds: number;
  /** First retry delay after a transient failure; doubles per receive, capped at 5 minutes. */
  retryBaseDelaySeconds: number;
  /** How long SIGTERM waits for in-flight messages. */
  shutdownTimeoutMs: number;
}

export interface WorkerConfig extends PlatformConfig {
  consumer: ConsumerConfig;
}

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

const workerEnvSchema = z.object({
  WORKER_CONCURRENCY: positiveIntFromEnv.max(100).default(4),
  WORKER_BATCH_SIZE: positiveIntFromEnv.max(10).default(10),
  WORKER_WAIT_TIME_SECONDS: nonNegativeIntFromEnv.max(20).default(20),
  WORKER_VISIBILITY_TIMEOUT_SECONDS: positiveIntFromEnv.max(43200).default(60),
  WORKER_RETRY_BASE_DELAY_SECONDS: nonNegativeIntFromEnv.max(900).default(5),
  WORKER_SHUTDOWN_TIMEOUT_MS: positiveIntFromEnv.default(30000),
});

export function loadWorkerConfig(env: Env): WorkerConfig {
  const parsed = parseEnv(workerEnvSchema, env);
  return {
    ...loadPlatformConfig(env),
    consumer: {
      concurrency: parsed.WORKER_CONCURRENCY,
      batchSize: parsed.WORKER_BATCH_SIZE,
      waitTimeSeconds: parsed.WORKER_WAIT_TIME_SECONDS,
      visibilityTimeoutSeconds: parsed.WORKER_VISIBILITY_TIMEOUT_SECONDS,
      retryBaseDelaySeconds: parsed.WORKER_RETRY_BASE_DELAY_SECONDS,
      shutdownTimeoutMs: parsed.WORKER_SHUTDOWN_TIMEOUT_MS,
    },
  };
}
