/**
 * When a failed webhook delivery is tried again. The delay after failed attempt n is
 * `min(maxDelay, base × factor^(n−1))`, drawn from [(1 − jitterRatio) × that, that]: with the defaults (30 s, × 3,
 * capped at 8 h) about 30 s, 1.5 min, 4.5 min, 13.5 min, 40 min, 2 h, 6 h, then every 8 h. A delivery is given up
 * after the first failed attempt made `window` (24 h) or more after its first attempt, so it is tried for at least
 * that long whatever the jitter. Delays longer than SQS's 15-minute DelaySeconds cap are waited out in hops: the
 * message is re-sent with at most 900 s of delay until its `notBefore` has come.
 */
export interface WebhookRetrySchedule {
  baseDelaySeconds: number;
  factor: number;
  maxDelaySeconds: number;
  windowSeconds: number;
  jitterRatio: number;
}

/** SendMessage's DelaySeconds cap. */
export const SQS_MAX_DELAY_SECONDS = 900;

export const DEFAULT_RETRY_SCHEDULE: WebhookRetrySchedule = {
  baseDelaySeconds: 30,
  factor: 3,
  maxDelaySeconds: 8 * 3600,
  windowSeconds: 24 * 3600,
  jitterRatio: 0.2,
};

/** The un-jittered delay after failed attempt `attempt` (1-based). */
export function retryStepSeconds(schedule: WebhookRetrySchedule, attempt: number): number {
  return Math.min(schedule.maxDelaySeconds, schedule.baseDelaySeconds * schedule.factor ** Math.max(0, attempt - 1));
}

export function retryDelaySeconds(
  schedule: WebhookRetrySchedule,
  attempt: number,
  random: () => number = Math.random,
): number {
  const step = retryStepSeconds(schedule, attempt);
  // at least a second: never an immediate (hot) retry
  return Math.max(1, Math.ceil(step * (1 - schedule.jitterRatio * random())));
}

/**
 * When attempt `attempt + 1` is due after attempt `attempt` failed at `now`, or undefined when the delivery is given
 * up (the window since `firstAttemptAt` is over).
 */
export function nextAttemptAt(
  schedule: WebhookRetrySchedule,
  attempt: number,
  firstAttemptAt: Date,
  now: Date,
  random: () => number = Math.random,
): Date | undefined {
  if (now.getTime() - firstAttemptAt.getTime() >= schedule.windowSeconds * 1000) {
    return undefined;
  }
  return new Date(now.getTime() + retryDelaySeconds(schedule, attempt, random) * 1000);
}

/** The DelaySeconds of the next hop towards `notBefore` (0: it is due). */
export function hopDelaySeconds(notBefore: Date, now: Date): number {
  const remaining = Math.ceil((notBefore.getTime() - now.getTime()) / 1000);
  return Math.max(0, Math.min(SQS_MAX_DELAY_SECONDS, remaining));
}

/** The attempts (1-based) and when each happens, for a delivery that always fails, with a given jitter. */
export function attemptTimeline(schedule: WebhookRetrySchedule, random: () => number): number[] {
  const times = [0];
  for (let attempt = 1; ; attempt++) {
    const now = times[attempt - 1]!;
    const next = nextAttemptAt(schedule, attempt, new Date(0), new Date(now * 1000), random);
    if (!next) {
      return times;
    }
    times.push(next.getTime() / 1000);
  }
}
