import type { Provider } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AwsClients, JobLifecycleRepository, JobRepository, ObjectStore } from '#libs/aws';
import { JOB_FINAL_LISTENERS, type JobFinalListener } from '#libs/jobs';
import type { WorkerConfig } from '../config/worker.config.js';
import { DeadlineSweep } from './deadline-sweep.js';
import { JobTimeouts } from './job-timeouts.js';
import { Reaper } from './reaper.js';
import { RetentionSweep } from './retention-sweep.js';

/** The reaper and what it needs, for the worker module. */
export function reaperProviders(config: WorkerConfig): Provider[] {
  return [
    {
      provide: JobLifecycleRepository,
      inject: [AwsClients],
      useFactory: (clients: AwsClients) => new JobLifecycleRepository(clients.documents, config.resources.jobsTable),
    },
    {
      provide: JobTimeouts,
      inject: [JobRepository, JOB_FINAL_LISTENERS, PinoLogger],
      useFactory: (jobs: JobRepository, listeners: JobFinalListener[], logger: PinoLogger) =>
        new JobTimeouts(jobs, listeners, logger),
    },
    {
      provide: DeadlineSweep,
      inject: [JobLifecycleRepository, JobRepository, JobTimeouts],
      useFactory: (lifecycle: JobLifecycleRepository, jobs: JobRepository, timeouts: JobTimeouts) =>
        new DeadlineSweep(lifecycle, jobs, timeouts, config.reaper),
    },
    {
      provide: RetentionSweep,
      inject: [JobLifecycleRepository, ObjectStore, JobTimeouts],
      useFactory: (lifecycle: JobLifecycleRepository, objects: ObjectStore, timeouts: JobTimeouts) =>
        new RetentionSweep(lifecycle, objects, timeouts, config.resources.imagesBucket, config.reaper),
    },
    Reaper,
  ];
}
