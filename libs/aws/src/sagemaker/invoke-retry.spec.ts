import { describe, expect, it } from '@jest/globals';
import { invokeRetryDelayMs, invokeRetryStrategy } from './invoke-retry.js';

describe(invokeRetryDelayMs.name, () => {
  const config = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1000 };

  it('starts from the base step and doubles it with each retry, up to the cap', () => {
    const steps = [1, 2, 3, 4].map((retry) => invokeRetryDelayMs(config, retry, () => 1));
    expect(steps).toEqual([200, 400, 800, 1000]);
  });

  it('waits a random half of the step on top of the other half', () => {
    expect(invokeRetryDelayMs(config, 2, () => 0)).toBe(200);
    expect(invokeRetryDelayMs(config, 2, () => 0.5)).toBe(300);
    const delays = new Set(Array.from({ length: 50 }, () => invokeRetryDelayMs(config, 3)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });
});

describe(invokeRetryStrategy.name, () => {
  it('waits the base step before the SDK’s first retry, then doubles it', async () => {
    const strategy = invokeRetryStrategy({ maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 1000 }, () => 1);
    let token = await strategy.acquireInitialRetryToken('sagemaker');
    const waited: Array<number | undefined> = [];
    for (let retry = 1; retry <= 3; retry += 1) {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
      waited.push(token.$retryLog?.acquisitionDelay);
    }
    expect(waited).toEqual([10, 20, 40]);
  });
});
