import type { Job } from '#libs/contracts';
import { ModelParamsError } from '#libs/models';
import type { JobLifetimeConfig } from './job-lifetime.config.js';

export type JobLifetime = Required<Pick<Job, 'timeoutSeconds' | 'deadlineAt' | 'expiresAt'>>;

const SECONDS_PER_DAY = 86_400;

/**
 * The deadline and the retention of a job created at `createdAt` (ISO): its timeout is the request's
 * `timeoutSeconds` (which must lie in the configured range: a 400 naming the field otherwise) or the default.
 */
export function jobLifetime(
  config: JobLifetimeConfig,
  createdAt: string,
  requestedTimeoutSeconds: number | undefined,
): JobLifetime {
  const { minTimeoutSeconds: min, maxTimeoutSeconds: max } = config;
  const timeoutSeconds = requestedTimeoutSeconds ?? config.defaultTimeoutSeconds;
  if (timeoutSeconds < min || timeoutSeconds > max) {
    throw new ModelParamsError([{ field: 'timeoutSeconds', message: `must be from ${min} to ${max} seconds` }]);
  }
  const created = Date.parse(createdAt);
  return {
    timeoutSeconds,
    deadlineAt: new Date(created + timeoutSeconds * 1000).toISOString(),
    expiresAt: Math.ceil(created / 1000 + config.retentionDays * SECONDS_PER_DAY),
  };
}
