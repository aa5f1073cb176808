import type { Provider } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { JobRepository, ObjectStore } from '#libs/aws';
import { JOB_FINAL_LISTENERS, type JobFinalListener, JobFinalizer } from '#libs/jobs';
import { ModelCatalog } from '#libs/models';
import type { ApiConfig } from '../../config/api.config.js';
import { AnnounceToWatchers, jobWatchHubProvider } from '../../events/job-watch-hub.provider.js';
import { JobWatchHub } from '../../events/job-watch-hub.js';
import { RealtimeInvocations } from './realtime-invocations.js';

/**
 * Real-time mode in the api: the worker's JobFinalizer (the api finalizes real-time jobs itself), told to the same
 * final-state listeners plus this instance's watchers (a `Prefer: wait` submission learns at once), and the
 * invocations it runs. Also the instance's JobWatchHub, which the event streams share.
 */
export function realtimeProviders(config: Pick<ApiConfig, 'resources'>): Provider[] {
  return [
    jobWatchHubProvider,
    {
      provide: JobFinalizer,
      inject: [JobRepository, ObjectStore, ModelCatalog, PinoLogger, JOB_FINAL_LISTENERS, JobWatchHub],
      useFactory: (
        jobs: JobRepository,
        objects: ObjectStore,
        catalog: ModelCatalog,
        logger: PinoLogger,
        listeners: JobFinalListener[],
        hub: JobWatchHub,
      ) => {
        logger.setContext(JobFinalizer.name);
        return new JobFinalizer(jobs, objects, catalog, config.resources.imagesBucket, logger, [
          ...listeners,
          new AnnounceToWatchers(hub),
        ]);
      },
    },
    RealtimeInvocations,
  ];
}
