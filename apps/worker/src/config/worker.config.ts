import { z } from 'zod';
import {
  type Env,
  loadPlatformConfig,
  nonNegativeIntFromEnv,
  parseEnv,
  type PlatformConfig,
  portFromEnv,
  positiveIntFromEnv,
} from '#libs/config';
import { loadWebhooksConfig, type WebhooksConfig } from '#libs/webhooks';
import type { RetryPolicy } from '../notifications/retry-policy.js';
import { type ReaperConfig, reaperConfigFrom, reaperEnvShape } from '../reaper/reaper.config.js';

export interface ConsumerConfig {
  /** Messages processed at the same time. */
  concurrency: number;
  /** Messages asked for per ReceiveMessage (1–10). */
  batchSize: number;
  /** Long-poll wait (0–20 s). */
  waitTimeSeconds: number;
  /** How long a received message stays hidden; a heartbeat renews it every half of this while work runs. */
  visibilityTimeoutSeconds: number;
  /** When and how often a message is tried again. */
  retry: RetryPolicy;
  /** SIGTERM: the bound on finishing in-flight messages and releasing the rest (below ECS's 30 s stop timeout). */
  shutdownTimeoutMs: number;
}

export interface WorkerHealthConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The poll loop counts as stalled when no receive has completed for this long. */
  stallAfterMs: number;
}

export interface WorkerConfig extends PlatformConfig {
  consumer: ConsumerConfig;
  health: WorkerHealthConfig;
  /** The sweeps that time out jobs past their deadline and delete jobs past their retention. */
  reaper: ReaperConfig;
  webhooks: WebhooksConfig;
}

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

/** Must equal the notifications queue's redrive maxReceiveCount (libs/local-stack provisioning, Terraform). */
export const DEFAULT_MAX_RECEIVE_COUNT = 10;

const workerEnvSchema = z.object({
  WORKER_CONCURRENCY: positiveIntFromEnv.max(100).default(4),
  WORKER_BATCH_SIZE: positiveIntFromEnv.max(10).default(10),
  WORKER_WAIT_TIME_SECONDS: nonNegativeIntFromEnv.max(20).default(20),
  WORKER_VISIBILITY_TIMEOUT_SECONDS: positiveIntFromEnv.min(2).max(43200).default(60),
  WORKER_RETRY_BASE_DELAY_SECONDS: positiveIntFromEnv.max(900).default(10),
  WORKER_RETRY_MAX_DELAY_SECONDS: positiveIntFromEnv.max(43200).default(300),
  WORKER_MAX_RECEIVE_COUNT: positiveIntFromEnv.max(1000).default(DEFAULT_MAX_RECEIVE_COUNT),
  WORKER_POISON_DELAY_SECONDS: nonNegativeIntFromEnv.max(900).default(2),
  WORKER_SHUTDOWN_TIMEOUT_MS: positiveIntFromEnv.max(120_000).default(25_000),
  WORKER_HEALTH_HOST: z.string().min(1).default('0.0.0.0'),
  WORKER_HEALTH_PORT: portFromEnv.default(3001),
  ...reaperEnvShape,
});

/** Jitter draws each retry delay from [80 %, 100 %] of its exponential step, so retries of one outage spread out. */
const RETRY_JITTER_RATIO = 0.2;

export function loadWorkerConfig(env: Env): WorkerConfig {
  const parsed = parseEnv(workerEnvSchema, env);
  const platform = loadPlatformConfig(env);
  const waitMs = parsed.WORKER_WAIT_TIME_SECONDS * 1000;
  // one receive attempt may last its long poll plus the request timeout (aws-clients.ts gives SQS that much)
  const receiveAttemptMs = waitMs + platform.aws.timeouts.requestTimeoutMs + waitMs;
  return {
    ...platform,
    consumer: {
      concurrency: parsed.WORKER_CONCURRENCY,
      batchSize: parsed.WORKER_BATCH_SIZE,
      waitTimeSeconds: parsed.WORKER_WAIT_TIME_SECONDS,
      visibilityTimeoutSeconds: parsed.WORKER_VISIBILITY_TIMEOUT_SECONDS,
      retry: {
        baseDelaySeconds: parsed.WORKER_RETRY_BASE_DELAY_SECONDS,
        maxDelaySeconds: parsed.WORKER_RETRY_MAX_DELAY_SECONDS,
        jitterRatio: RETRY_JITTER_RATIO,
        maxReceiveCount: parsed.WORKER_MAX_RECEIVE_COUNT,
        poisonDelaySeconds: parsed.WORKER_POISON_DELAY_SECONDS,
      },
      shutdownTimeoutMs: parsed.WORKER_SHUTDOWN_TIMEOUT_MS,
    },
    health: {
      host: parsed.WORKER_HEALTH_HOST,
      port: parsed.WORKER_HEALTH_PORT,
      stallAfterMs: 2 * receiveAttemptMs,
    },
    reaper: reaperConfigFrom(parsed),
    webhooks: loadWebhooksConfig(env, platform.app.environment),
  };
}
