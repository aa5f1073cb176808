import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { EventEmitter } from 'node:events';
import { isFinalStatus, type Job } from '#libs/contracts';
import { API_CONFIG, type ApiConfig } from '../../config/api.config.js';
import { JobWatchHub } from '../../events/job-watch-hub.js';
import { waitPreference } from './prefer-wait.js';

/**
 * `Prefer: wait=N` on POST /v1/jobs: holds the answer until the job is final or N seconds (at most
 * JOBS_MAX_WAIT_SECONDS) have passed. It learns of the final state through the instance's JobWatchHub, the same
 * DynamoDB reads the event streams use, so it works whoever finalizes the job: the worker, another api instance, or
 * this one (which tells the hub at once).
 */
@Injectable()
export class SubmissionWait implements BeforeApplicationShutdown {
  private readonly maxSeconds: number;
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly hub: JobWatchHub,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'wait'>,
  ) {
    this.maxSeconds = config.wait.maxSeconds;
  }

  /** The seconds this request will wait (its preference, capped), or undefined when it will not wait at all. */
  seconds(prefer: string | string[] | undefined): number | undefined {
    const wanted = waitPreference(prefer);
    const seconds = wanted === undefined ? 0 : Math.min(wanted, this.maxSeconds);
    return seconds > 0 ? seconds : undefined;
  }

  /**
   * The job once it is final, or undefined when `seconds` pass first, the client goes away (`connection` closes) or
   * the api shuts down.
   */
  untilFinal(jobId: string, seconds: number, connection?: EventEmitter): Promise<Job | undefined> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (job: Job | undefined): void => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        unwatch();
        connection?.off('close', giveUp);
        this.waiting.delete(giveUp);
        resolve(job);
      };
      const giveUp = (): void => done(undefined);
      const unwatch = this.hub.watch(jobId, (job) => {
        if (!job || isFinalStatus(job.status)) {
          done(job);
        }
      });
      const timer = setTimeout(giveUp, seconds * 1000);
      connection?.once('close', giveUp);
      this.waiting.add(giveUp);
    });
  }

  /** Shutting down: every held request gets its 202 now. */
  beforeApplicationShutdown(): void {
    for (const giveUp of [...this.waiting]) {
      giveUp();
    }
  }
}
