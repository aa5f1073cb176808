import { describe, expect, it } from '@jest/globals';
import { inParallel, percentiles } from './stats.js';

describe('percentiles', () => {
  it('are nearest-rank percentiles of the values', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentiles(values)).toEqual({ p50: 50, p95: 95, p99: 99 });
  });

  it('leave out the timings a job does not have, which would break the order', () => {
    expect(percentiles([30, NaN, 10, NaN, 20])).toEqual({ p50: 20, p95: 30, p99: 30 });
  });
});

describe('inParallel', () => {
  it('runs every task, at most `concurrency` at once, results in index order', async () => {
    let running = 0;
    let most = 0;
    const results = await inParallel(10, 3, async (index) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return index * 2;
    });
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(most).toBe(3);
  });
});
