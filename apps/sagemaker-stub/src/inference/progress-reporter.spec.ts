import { describe, expect, it } from '@jest/globals';
import { ManualClock } from './clock.js';
import { reportSteps } from './progress-reporter.js';

describe('reportSteps', () => {
  it('reports the step reached at most once per interval, forward only, never the last step', async () => {
    const clock = new ManualClock();
    const steps: number[] = [];
    const sink = { started: () => undefined, step: (step: number) => steps.push(step) };
    const stop = reportSteps(sink, clock, { totalSteps: 30, durationMs: 3000, intervalMs: 250 });
    await clock.advance(3500);
    stop();
    // 3 s at one report per 250 ms: at most 12 reports (14 ticks would be 1 per 250 ms over 3.5 s)
    expect(steps.length).toBeLessThanOrEqual(Math.ceil(3500 / 250));
    expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
    expect(steps[0]).toBe(2);
    expect(steps.at(-1)).toBe(29);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('reports nothing for an instant inference', async () => {
    const clock = new ManualClock();
    const steps: number[] = [];
    const stop = reportSteps({ started: () => undefined, step: (step) => steps.push(step) }, clock, {
      totalSteps: 30,
      durationMs: 0,
      intervalMs: 250,
    });
    await clock.advance(1000);
    stop();
    expect(steps).toEqual([]);
  });
});
