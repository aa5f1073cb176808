import { describe, expect, it } from '@jest/globals';
import {
  attemptTimeline,
  DEFAULT_RETRY_SCHEDULE as S,
  hopDelaySeconds,
  nextAttemptAt,
  retryDelaySeconds,
  retryStepSeconds,
  SQS_MAX_DELAY_SECONDS,
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

  it('the real figures: 10 or 11 attempts over 24 to 32 h, every delay sent as SQS hops of at most 900 s', () => {
    // a seeded generator (mulberry32): the same 1000 jitter draws on every run
    let seed = 8;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const attempts = new Set<number>();
    let shortest = Infinity;
    let longest = 0;
    let mostSends = 0;
    for (let run = 0; run < 1000; run++) {
      const timeline = attemptTimeline(S, random);
      attempts.add(timeline.length);
      shortest = Math.min(shortest, timeline.at(-1)!);
      longest = Math.max(longest, timeline.at(-1)!);
      let sends = 0;
      for (let index = 1; index < timeline.length; index++) {
        // what the handler does: re-send with hopDelaySeconds until the attempt is due
        let now = timeline[index - 1]!;
        const due = new Date(timeline[index]! * 1000);
        for (
          let hop = hopDelaySeconds(due, new Date(now * 1000));
          hop > 0;
          hop = hopDelaySeconds(due, new Date(now * 1000))
        ) {
          expect(hop).toBeLessThanOrEqual(SQS_MAX_DELAY_SECONDS);
          now += hop;
          sends += 1;
        }
        expect(now).toBe(timeline[index]);
      }
      mostSends = Math.max(mostSends, sends);
    }
    expect([...attempts].sort()).toEqual([10, 11]);
    expect(shortest).toBeGreaterThanOrEqual(24 * 3600);
    expect(longest).toBeLessThan(32 * 3600);
    console.log(
      `webhook retry schedule (defaults, 1000 jitter draws): ${[...attempts].sort().join(' or ')} attempts, the last ` +
        `${(shortest / 3600).toFixed(1)} to ${(longest / 3600).toFixed(1)} h after the first (nominal, no jitter: ` +
        `${attemptTimeline(S, () => 0).length} attempts over ${(attemptTimeline(S, () => 0).at(-1)! / 3600).toFixed(1)} h); ` +
        `at most ${mostSends} SQS sends of <= ${SQS_MAX_DELAY_SECONDS} s DelaySeconds per failing delivery`,
    );
  });
});
