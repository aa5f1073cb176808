import { describe, expect, it } from '@jest/globals';
import { bounded, TIMED_OUT } from './bounded.js';

describe('bounded', () => {
  it('resolves with the value when the promise settles in time', async () => {
    await expect(bounded(Promise.resolve(42), 1000)).resolves.toBe(42);
  });

  it('resolves with TIMED_OUT when the promise is still pending at the bound', async () => {
    const started = Date.now();
    await expect(bounded(new Promise(() => {}), 50)).resolves.toBe(TIMED_OUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('passes a rejection on', async () => {
    await expect(bounded(Promise.reject(new Error('refused')), 1000)).rejects.toThrow('refused');
  });
});
