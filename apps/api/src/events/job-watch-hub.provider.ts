import type { Provider } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { JobRepository } from '#libs/aws';
import type { Job } from '#libs/contracts';
import type { JobFinalListener } from '#libs/jobs';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { JobWatchHub } from './job-watch-hub.js';

/**
 * One JobWatchHub per api instance, shared by the event streams and by submissions waiting for their job
 * (`Prefer: wait`): a job watched by both is read once per poll.
 */
export const jobWatchHubProvider: Provider = {
  provide: JobWatchHub,
  inject: [JobRepository, PinoLogger, API_CONFIG],
  useFactory: (jobs: JobRepository, logger: PinoLogger, config: ApiConfig) => {
    logger.setContext(JobWatchHub.name);
    return new JobWatchHub(jobs, config.events.pollMs, (error, jobId) =>
      logger.warn({ err: error, jobId }, 'could not read a watched job; trying again at the next poll'),
    );
  },
};

/** A final-state listener that hands a job this instance finalized to its watchers here at once. */
export class AnnounceToWatchers implements JobFinalListener {
  constructor(private readonly hub: JobWatchHub) {}

  jobFinal(job: Job): Promise<void> {
    this.hub.announce(job);
    return Promise.resolve();
  }
}
