import path from 'node:path';
import { z } from 'zod';
import {
  type AppEnvironment,
  booleanFromEnv,
  ConfigValidationError,
  type Env,
  parseEnv,
  positiveIntFromEnv,
} from '#libs/config';
import { DEFAULT_RETRY_SCHEDULE, type WebhookRetrySchedule } from './delivery/retry-schedule.js';

export interface WebhooksConfig {
  /** Lets webhooks reach loopback receivers (127.0.0.1, ::1, localhost): make dev and tests only. */
  allowLoopback: boolean;
  /** Only https on port 443 (AWS). */
  httpsOnly: boolean;
  /** KMS key that wraps the secrets' data keys (AWS); absent: the local key file. */
  kmsKeyId?: string;
  /** The local key-encryption key, created on first use. */
  localKeyFile: string;
  retry: WebhookRetrySchedule;
  /** One attempt's bound, connection to the end of the (bounded) answer. */
  timeoutMs: number;
  /** How long events and the delivery log are kept (DynamoDB TTL). */
  logRetentionSeconds: number;
  /** During a rotation, how long the previous secret still signs. */
  rotationOverlapSeconds: number;
  /** Deliveries sent at the same time by one worker. */
  concurrency: number;
}

/** The longest attempt the issue allows; tests shorten it. */
export const MAX_WEBHOOK_TIMEOUT_MS = 10_000;
/** A receiver's answer is read up to this much, then the connection is dropped. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const ROTATION_OVERLAP_SECONDS = 24 * 3600;

const webhooksEnvSchema = z.object({
  WEBHOOKS_ALLOW_LOOPBACK: booleanFromEnv.default(false),
  WEBHOOKS_KMS_KEY_ID: z.string().min(1).optional(),
  LOCAL_DATA_DIR: z.string().min(1).default('.local'),
  WEBHOOKS_LOCAL_KEY_FILE: z.string().min(1).optional(),
  WEBHOOKS_RETRY_BASE_SECONDS: positiveIntFromEnv.max(900).default(DEFAULT_RETRY_SCHEDULE.baseDelaySeconds),
  WEBHOOKS_RETRY_FACTOR: z.coerce.number().min(1).max(10).default(DEFAULT_RETRY_SCHEDULE.factor),
  WEBHOOKS_RETRY_MAX_DELAY_SECONDS: positiveIntFromEnv.max(86_400).default(DEFAULT_RETRY_SCHEDULE.maxDelaySeconds),
  WEBHOOKS_RETRY_WINDOW_SECONDS: positiveIntFromEnv.max(7 * 86_400).default(DEFAULT_RETRY_SCHEDULE.windowSeconds),
  WEBHOOKS_TIMEOUT_MS: positiveIntFromEnv.max(MAX_WEBHOOK_TIMEOUT_MS).default(MAX_WEBHOOK_TIMEOUT_MS),
  WEBHOOKS_LOG_RETENTION_DAYS: positiveIntFromEnv.max(365).default(30),
  WEBHOOKS_ROTATION_OVERLAP_SECONDS: positiveIntFromEnv.max(7 * 86_400).default(ROTATION_OVERLAP_SECONDS),
  WEBHOOKS_CONCURRENCY: positiveIntFromEnv.max(100).default(8),
});

export function loadWebhooksConfig(env: Env, environment: AppEnvironment): WebhooksConfig {
  const parsed = parseEnv(webhooksEnvSchema, env);
  const inAws = environment === 'aws';
  if (inAws) {
    const problems = [
      ...(parsed.WEBHOOKS_ALLOW_LOOPBACK ? ['WEBHOOKS_ALLOW_LOOPBACK: must be false when APP_ENV=aws'] : []),
      ...(parsed.WEBHOOKS_KMS_KEY_ID ? [] : ['WEBHOOKS_KMS_KEY_ID: required when APP_ENV=aws']),
      ...(parsed.WEBHOOKS_RETRY_WINDOW_SECONDS < DEFAULT_RETRY_SCHEDULE.windowSeconds
        ? ['WEBHOOKS_RETRY_WINDOW_SECONDS: at least 86400 (24 h) when APP_ENV=aws']
        : []),
      ...(parsed.WEBHOOKS_ROTATION_OVERLAP_SECONDS < ROTATION_OVERLAP_SECONDS
        ? ['WEBHOOKS_ROTATION_OVERLAP_SECONDS: at least 86400 (24 h) when APP_ENV=aws']
        : []),
    ];
    if (problems.length > 0) {
      throw new ConfigValidationError(problems);
    }
  }
  return {
    allowLoopback: parsed.WEBHOOKS_ALLOW_LOOPBACK,
    httpsOnly: inAws,
    ...(parsed.WEBHOOKS_KMS_KEY_ID ? { kmsKeyId: parsed.WEBHOOKS_KMS_KEY_ID } : {}),
    localKeyFile: parsed.WEBHOOKS_LOCAL_KEY_FILE ?? path.join(parsed.LOCAL_DATA_DIR, 'webhook-secrets.key'),
    retry: {
      baseDelaySeconds: parsed.WEBHOOKS_RETRY_BASE_SECONDS,
      factor: parsed.WEBHOOKS_RETRY_FACTOR,
      maxDelaySeconds: parsed.WEBHOOKS_RETRY_MAX_DELAY_SECONDS,
      windowSeconds: parsed.WEBHOOKS_RETRY_WINDOW_SECONDS,
      jitterRatio: DEFAULT_RETRY_SCHEDULE.jitterRatio,
    },
    timeoutMs: parsed.WEBHOOKS_TIMEOUT_MS,
    logRetentionSeconds: parsed.WEBHOOKS_LOG_RETENTION_DAYS * 86_400,
    rotationOverlapSeconds: parsed.WEBHOOKS_ROTATION_OVERLAP_SECONDS,
    concurrency: parsed.WEBHOOKS_CONCURRENCY,
  };
}
