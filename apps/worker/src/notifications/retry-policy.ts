/**
 * When a notification is tried again. SQS counts the receives; after `maxReceiveCount` of them the queue's redrive
 * policy moves the message to the DLQ. Between receives the worker hides the message for an exponential backoff, so
 * the receives of one message spread over the whole retry window instead of burning out in seconds.
 */
export interface RetryPolicy {
  /** Delay after the first failed receive; doubles with each further receive. */
  baseDelaySeconds: number;
  /** Cap on one delay. */
  maxDelaySeconds: number;
  /** Each delay is drawn from [(1 − jitterRatio) × step, step], rounded up to whole seconds. */
  jitterRatio: number;
  /** The queue's redrive maxReceiveCount: the receive with this count is the last one before the DLQ. */
  maxReceiveCount: number;
  /** How long a message that can never succeed (malformed, unknown job) stays hidden before its next receive. */
  poisonDelaySeconds: number;
}

/** The longest visibility timeout SQS accepts (12 hours). */
const SQS_MAX_VISIBILITY_SECONDS = 43_200;

/** The un-jittered delay after the receive numbered `receiveCount` (1-based) failed. */
export function backoffStepSeconds(policy: RetryPolicy, receiveCount: number): number {
  const exponent = Math.max(0, receiveCount - 1);
  return Math.min(policy.maxDelaySeconds, SQS_MAX_VISIBILITY_SECONDS, policy.baseDelaySeconds * 2 ** exponent);
}

/** The visibility timeout to set after the receive numbered `receiveCount` failed transiently. */
export function retryDelaySeconds(
  policy: RetryPolicy,
  receiveCount: number,
  random: () => number = Math.random,
): number {
  const step = backoffStepSeconds(policy, receiveCount);
  // rounded up: a 1 s step stays 1 s instead of becoming an immediate (hot) retry
  return Math.ceil(step * (1 - policy.jitterRatio * random()));
}

/** True when SQS will move the message to the DLQ instead of handing it out again. */
export function isLastReceive(policy: RetryPolicy, receiveCount: number): boolean {
  return receiveCount >= policy.maxReceiveCount;
}

/**
 * The shortest time, whatever the jitter, between a message's first receive and its last one: how long a
 * dependency may be down without the message reaching the DLQ.
 */
export function minimumRetryWindowSeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let receive = 1; receive < policy.maxReceiveCount; receive++) {
    total += retryDelaySeconds(policy, receive, () => 1);
  }
  return total;
}
