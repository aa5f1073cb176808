import { z } from 'zod';
import { type Env, parseEnv, positiveIntFromEnv } from '#libs/config';

/** How long a job may run and how long it is kept: the deadline and the retention every job gets at submission. */
export interface JobLifetimeConfig {
  /** The timeout of a job that asks for none. */
  defaultTimeoutSeconds: number;
  /** The range a request's `timeoutSeconds` must fall in. */
  minTimeoutSeconds: number;
  maxTimeoutSeconds: number;
  /** Days a job (and its request, outputs and images) is kept after submission; fractions allowed. */
  retentionDays: number;
}

/**
 * The most a job may be given: SageMaker keeps an async request in its queue at most 6 hours (RequestTTLSeconds
 * 21600), so a later deadline could never be met.
 */
export const MAX_JOB_TIMEOUT_SECONDS = 21_600;

export const DEFAULT_JOB_LIFETIME: JobLifetimeConfig = {
  defaultTimeoutSeconds: 900,
  minTimeoutSeconds: 30,
  maxTimeoutSeconds: 3600,
  retentionDays: 30,
};

const lifetimeEnvSchema = z
  .object({
    JOBS_DEFAULT_TIMEOUT_SECONDS: positiveIntFromEnv
      .max(MAX_JOB_TIMEOUT_SECONDS)
      .default(DEFAULT_JOB_LIFETIME.defaultTimeoutSeconds),
    JOBS_MIN_TIMEOUT_SECONDS: positiveIntFromEnv
      .max(MAX_JOB_TIMEOUT_SECONDS)
      .default(DEFAULT_JOB_LIFETIME.minTimeoutSeconds),
    JOBS_MAX_TIMEOUT_SECONDS: positiveIntFromEnv
      .max(MAX_JOB_TIMEOUT_SECONDS)
      .default(DEFAULT_JOB_LIFETIME.maxTimeoutSeconds),
    // DynamoDB TTL only deletes items up to 5 years old: keep well below
    RETENTION_DAYS: z.coerce.number().positive().max(3650).default(DEFAULT_JOB_LIFETIME.retentionDays),
  })
  .refine((env) => env.JOBS_MIN_TIMEOUT_SECONDS <= env.JOBS_MAX_TIMEOUT_SECONDS, {
    message: 'must not exceed JOBS_MAX_TIMEOUT_SECONDS',
    path: ['JOBS_MIN_TIMEOUT_SECONDS'],
  })
  .refine(
    (env) =>
      env.JOBS_DEFAULT_TIMEOUT_SECONDS >= env.JOBS_MIN_TIMEOUT_SECONDS &&
      env.JOBS_DEFAULT_TIMEOUT_SECONDS <= env.JOBS_MAX_TIMEOUT_SECONDS,
    {
      message: 'must lie within JOBS_MIN_TIMEOUT_SECONDS..JOBS_MAX_TIMEOUT_SECONDS',
      path: ['JOBS_DEFAULT_TIMEOUT_SECONDS'],
    },
  );

export function loadJobLifetimeConfig(env: Env): JobLifetimeConfig {
  const parsed = parseEnv(lifetimeEnvSchema, env);
  return {
    defaultTimeoutSeconds: parsed.JOBS_DEFAULT_TIMEOUT_SECONDS,
    minTimeoutSeconds: parsed.JOBS_MIN_TIMEOUT_SECONDS,
    maxTimeoutSeconds: parsed.JOBS_MAX_TIMEOUT_SECONDS,
    retentionDays: parsed.RETENTION_DAYS,
  };
}
