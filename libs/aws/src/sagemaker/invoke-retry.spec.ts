import { describe, expect, it } from '@jest/globals';
import { invokeRetryDelayMs } from './invoke-retry.js';

describe(invokeRetryDelayMs.name, () => {
  const config = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1000 };

  it('doubles its step with each attempt, up to the cap', () => {
    const steps = [2, 3, 4, 5].map((attempt) => invokeRetryDelayMs(config, attempt, () => 1));
    expect(steps).toEqual([200, 400, 800, 1000]);
  });

  it('waits a random half of the step on top of the other half', () => {
    expect(invokeRetryDelayMs(config, 3, () => 0)).toBe(200);
    expect(invokeRetryDelayMs(config, 3, () => 0.5)).toBe(300);
    const delays = new Set(Array.from({ length: 50 }, () => invokeRetryDelayMs(config, 4)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });
});
