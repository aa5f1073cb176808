import type { RateLimitPolicy, RateLimitStanding } from '#libs/aws';
import type { GroupLimits } from '../config/limits.config.js';
import type { PolicyReport } from './rate-limit-headers.js';

/** Policy names, as the RateLimit fields and a 429's `violated-policies` name them. */
export const PolicyName = {
  RequestsPerMinute: 'requests-per-minute',
  JobsPerDay: 'jobs-per-day',
  JobsInFlight: 'jobs-in-flight',
  /** An API key's own requests per minute, on top of its owner's. */
  KeyRequestsPerMinute: 'key-requests-per-minute',
  /** Open event streams (GET /v1/jobs/events, /v1/jobs/{jobId}/events) per user and api instance. */
  OpenStreams: 'open-streams',
} as const;

/** No Retry-After can be known for jobs in flight (a slot frees when a job finishes): a typical render's time. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 10;

export function requestsPolicy(limits: GroupLimits): RateLimitPolicy | undefined {
  return limits.requestsPerMinute === undefined
    ? undefined
    : { name: PolicyName.RequestsPerMinute, points: limits.requestsPerMinute, windowSeconds: 60 };
}

export function keyRequestsPolicy(requestsPerMinute: number | undefined): RateLimitPolicy | undefined {
  return requestsPerMinute === undefined
    ? undefined
    : { name: PolicyName.KeyRequestsPerMinute, points: requestsPerMinute, windowSeconds: 60 };
}

export function jobsPerDayPolicy(limits: GroupLimits): RateLimitPolicy | undefined {
  return limits.jobsPerDay === undefined
    ? undefined
    : { name: PolicyName.JobsPerDay, points: limits.jobsPerDay, windowSeconds: 86_400 };
}

export function windowReport(policy: RateLimitPolicy, standing: Omit<RateLimitStanding, 'allowed'>): PolicyReport {
  return {
    name: policy.name,
    quota: policy.points,
    windowSeconds: policy.windowSeconds,
    remaining: standing.remaining,
    resetSeconds: standing.resetSeconds,
  };
}

export function inFlightReport(max: number, inFlight: number): PolicyReport {
  return {
    name: PolicyName.JobsInFlight,
    quota: max,
    unit: 'concurrent-requests',
    remaining: Math.max(0, max - inFlight),
  };
}
