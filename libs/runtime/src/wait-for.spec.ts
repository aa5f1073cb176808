import { describe, expect, it } from '@jest/globals';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('polls until the probe returns a value, and resolves with it', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls === 3 ? 'ready' : undefined), { intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('counts a thrown error as not yet', async () => {
    let calls = 0;
    const probe = async (): Promise<number> => {
      calls += 1;
      if (calls < 3) {
        throw new Error('not listening');
      }
      return calls;
    };
    await expect(waitFor(probe, { intervalMs: 1 })).resolves.toBe(3);
  });

  it('fails after the timeout, naming what it waited for and the last error', async () => {
    const probe = async (): Promise<undefined> => {
      throw new Error('connection refused');
    };
    await expect(waitFor(probe, { timeoutMs: 30, intervalMs: 5, description: 'the api' })).rejects.toThrow(
      'timed out after 30 ms waiting for the api: connection refused',
    );
  });
});
