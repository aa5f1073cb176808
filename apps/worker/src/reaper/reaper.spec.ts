import { describe, expect, it, jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import { waitFor } from '#libs/testing';
import type { WorkerConfig } from '../config/worker.config.js';
import type { DeadlineSweep, SweepResult } from './deadline-sweep.js';
import { DEFAULT_REAPER } from './reaper.config.js';
import { Reaper } from './reaper.js';
import type { RetentionSweep } from './retention-sweep.js';

function setup(reaper: Partial<WorkerConfig['reaper']>, deadlineResults: SweepResult[] = []) {
  const deadlines = {
    sweep: jest.fn(() => Promise.resolve(deadlineResults.shift() ?? { done: 0, more: false })),
  };
  const retention = { sweep: jest.fn(() => Promise.resolve({ done: 0, more: false })) };
  const logger = { setContext: jest.fn(), info: jest.fn(), error: jest.fn() };
  const config = { reaper: { ...DEFAULT_REAPER, ...reaper }, consumer: { shutdownTimeoutMs: 1000 } } as WorkerConfig;
  const sut = new Reaper(
    deadlines as unknown as DeadlineSweep,
    retention as unknown as RetentionSweep,
    logger as unknown as PinoLogger,
    config,
  );
  return { sut, deadlines, retention, logger };
}

describe(Reaper.name, () => {
  it('sweeps deadlines then retention every interval, and stops sweeping at shutdown', async () => {
    const { sut, deadlines, retention } = setup({ intervalMs: 10 });
    sut.start();
    await waitFor(() => (deadlines.sweep.mock.calls.length >= 3 ? true : undefined));
    expect(retention.sweep.mock.calls.length).toBeGreaterThanOrEqual(2);

    await sut.onApplicationShutdown();
    const after = deadlines.sweep.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(deadlines.sweep.mock.calls.length).toBe(after);
  });

  it('sweeps again at once after a full page, without waiting for the interval', async () => {
    const { sut, deadlines } = setup({ intervalMs: 60_000 }, [
      { done: 25, more: true },
      { done: 3, more: false },
    ]);
    sut.start();
    await waitFor(() => (deadlines.sweep.mock.calls.length >= 2 ? true : undefined), { timeoutMs: 2000 });
    await sut.onApplicationShutdown();
    expect(deadlines.sweep).toHaveBeenCalledTimes(2);
  });

  it('keeps going after a failed sweep (a dependency outage)', async () => {
    const { sut, deadlines, logger } = setup({ intervalMs: 10 });
    deadlines.sweep.mockRejectedValueOnce(new Error('DynamoDB unavailable'));
    sut.start();
    await waitFor(() => (deadlines.sweep.mock.calls.length >= 2 ? true : undefined));
    await sut.onApplicationShutdown();
    expect(logger.error).toHaveBeenCalledWith(expect.anything(), 'reaper sweep failed');
  });

  it('runs no sweep when disabled', async () => {
    const { sut, deadlines } = setup({ enabled: false, intervalMs: 10 });
    sut.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sut.onApplicationShutdown();
    expect(deadlines.sweep).not.toHaveBeenCalled();
  });
});
