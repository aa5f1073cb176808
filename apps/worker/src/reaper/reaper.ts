import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker.config.js';
import { DeadlineSweep } from './deadline-sweep.js';
import { RetentionSweep } from './retention-sweep.js';

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs the deadline sweep, then the retention sweep, every WORKER_REAPER_INTERVAL_MS (at once again while a sweep
 * finds full pages). Safe with any number of workers running it: every change is a conditional write, and deletes
 * are idempotent. Stops with the worker: shutdown waits for the sweep under way, within the shutdown bound.
 */
@Injectable()
export class Reaper implements OnApplicationShutdown {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deadlines: DeadlineSweep,
    private readonly retention: RetentionSweep,
    private readonly logger: PinoLogger,
    @Inject(WORKER_CONFIG) private readonly config: Pick<WorkerConfig, 'reaper' | 'consumer'>,
  ) {
    this.logger.setContext(Reaper.name);
  }

  start(): void {
    if (this.loop || this.abort.signal.aborted) {
      return;
    }
    if (!this.config.reaper.enabled) {
      this.logger.info('reaper disabled (WORKER_REAPER_ENABLED=false)');
      return;
    }
    const { intervalMs, graceMs, batchSize } = this.config.reaper;
    this.logger.info({ intervalMs, graceMs, batchSize }, 'reaping jobs past their deadline or retention');
    this.loop = this.run();
  }

  /** One deadline sweep and one retention sweep; whether either left work for an immediate next round. */
  async sweepOnce(nowMs: number = Date.now()): Promise<{ timedOut: number; deleted: number; more: boolean }> {
    const deadlines = await this.deadlines.sweep(nowMs);
    const retention = await this.retention.sweep(nowMs);
    if (deadlines.done > 0 || retention.done > 0) {
      this.logger.info({ timedOut: deadlines.done, deleted: retention.done }, 'reaper sweep');
    }
    return { timedOut: deadlines.done, deleted: retention.done, more: deadlines.more || retention.more };
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    if (!this.loop) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.config.consumer.shutdownTimeoutMs);
    });
    await Promise.race([this.loop, bound]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      let more = false;
      try {
        more = (await this.sweepOnce()).more;
      } catch (error) {
        // a dependency outage: the next sweep tries again
        this.logger.error({ err: error }, 'reaper sweep failed');
      }
      if (!more) {
        await pause(this.config.reaper.intervalMs, signal);
      }
    }
  }
}
