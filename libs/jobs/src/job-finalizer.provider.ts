import type { InjectionToken, Provider } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { JobRepository, ObjectStore } from '#libs/aws';
import { ModelCatalog } from '#libs/models';
import { JOB_FINAL_LISTENERS, type JobFinalListener } from './job-final-listener.js';
import { JobFinalizer } from './job-finalizer.js';

/** Listeners one process adds to the shared ones, built from what `inject` names. */
export interface ExtraFinalListeners {
  inject: InjectionToken[];
  listeners: (...deps: never[]) => JobFinalListener[];
}

/**
 * The JobFinalizer of a process that finalizes jobs (the worker from notifications, the api in real-time mode):
 * told to the shared JOB_FINAL_LISTENERS (slot in flight, usage settlement, webhooks), then to the process's own.
 */
export function jobFinalizerProvider(
  imagesBucket: string,
  extra: ExtraFinalListeners = { inject: [], listeners: () => [] },
): Provider {
  return {
    provide: JobFinalizer,
    inject: [JobRepository, ObjectStore, ModelCatalog, PinoLogger, JOB_FINAL_LISTENERS, ...extra.inject],
    useFactory: (
      jobs: JobRepository,
      objects: ObjectStore,
      catalog: ModelCatalog,
      logger: PinoLogger,
      listeners: JobFinalListener[],
      ...deps: never[]
    ) => {
      logger.setContext(JobFinalizer.name);
      return new JobFinalizer(jobs, objects, catalog, imagesBucket, logger, [
        ...listeners,
        ...extra.listeners(...deps),
      ]);
    },
  };
}
