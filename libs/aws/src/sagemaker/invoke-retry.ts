import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { InvokeRetryConfig } from '#libs/config';

/**
 * The backoff before attempt `attempt` (2 for the first retry): an exponential step (base, doubled per attempt,
 * capped) of which a random half is waited on top of the other half ("equal jitter"): every retry waits at least
 * half its step, and the retries of many callers throttled at once spread out.
 */
export function invokeRetryDelayMs(
  config: InvokeRetryConfig,
  attempt: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.max(0, attempt - 2));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * The SDK's standard retry strategy (it retries throttling and not-ready answers, and connections never made)
 * with our attempts and backoff. An invocation whose outcome is unknown is never retried, whatever this says:
 * InferenceClient hands such failures past the retry loop (see neverRetryWhenUnconfirmed).
 */
export function invokeRetryStrategy(config: InvokeRetryConfig): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(config.maxAttempts, (attempt) => invokeRetryDelayMs(config, attempt));
}
