import { describe, expect, it } from '@jest/globals';
import {
  attemptTimeline,
  DEFAULT_RETRY_SCHEDULE as S,
  hopDelaySeconds,
  nextAttemptAt,
  retryDelaySeconds,
  retryStepSeconds,
} from './retry-schedule.js';

describe('webhook retry schedule', () => {
  it('grows exponentially from 30 s by × 3 up to 8 h', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryStepSeconds(S, n))).toEqual([
      30, 90, 270, 810, 2430, 7290, 21870, 28800, 28800,
    ]);
  });

  it('jitters each delay within [80 %, 100 %] of its step, never below a second', () => {
    expect(retryDelaySeconds(S, 3, () => 0)).toBe(270);
    expect(retryDelaySeconds(S, 3, () => 1)).toBe(216);
    expect(retryDelaySeconds({ ...S, baseDelaySeconds: 1, jitterRatio: 1 }, 1, () => 1)).toBe(1);
  });

  it('keeps trying for at least 24 h whatever the jitter, then gives up', () => {
    for (const random of [() => 0, () => 1, () => 0.5]) {
      const timeline = attemptTimeline(S, random);
      const last = timeline.at(-1)!;
      expect(last).toBeGreaterThanOrEqual(24 * 3600);
      // the attempt before the last was still inside the window
      expect(timeline.at(-2)!).toBeLessThan(24 * 3600);
      expect(timeline.length).toBeLessThanOrEqual(12);
    }
    // the documented nominal schedule: 10 attempts over about 25 h without jitter
    expect(attemptTimeline(S, () => 0)).toEqual([0, 30, 120, 390, 1200, 3630, 10920, 32790, 61590, 90390]);
  });

  it('gives up on the first failure once the window has passed', () => {
    const first = new Date(0);
    expect(nextAttemptAt(S, 9, first, new Date(S.windowSeconds * 1000 - 1))).toBeDefined();
    expect(nextAttemptAt(S, 9, first, new Date(S.windowSeconds * 1000))).toBeUndefined();
  });

  it('waits out delays longer than SQS allows in hops of at most 900 s', () => {
    const now = new Date(0);
    expect(hopDelaySeconds(new Date(3600_000), now)).toBe(900);
    expect(hopDelaySeconds(new Date(120_500), now)).toBe(121);
    expect(hopDelaySeconds(new Date(0), now)).toBe(0);
    expect(hopDelaySeconds(new Date(-5000), now)).toBe(0);
  });
});
