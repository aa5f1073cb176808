import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { InvokeRetryConfig } from '#libs/config';

/**
 * The backoff before retry `retry` (1 for the first): an exponential step (base, doubled per retry, capped) of which
 * a random half is waited on top of the other half ("equal jitter"): every retry waits at least half its step, and
 * the retries of many callers throttled at once spread out.
 */
export function invokeRetryDelayMs(
  config: InvokeRetryConfig,
  retry: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * The SDK's standard retry strategy (it retries throttling and not-ready answers, and connections never made)
 * with our attempts and backoff. An invocation whose outcome is unknown is never retried, whatever this says:
 * InferenceClient hands such failures past the retry loop (see neverRetryWhenUnconfirmed).
 */
export function invokeRetryStrategy(
  config: InvokeRetryConfig,
  random: () => number = Math.random,
): ConfiguredRetryStrategy {
  // the SDK numbers them from 1: the retries made so far, plus this one
  return new ConfiguredRetryStrategy(config.maxAttempts, (retry) => invokeRetryDelayMs(config, retry, random));
}
