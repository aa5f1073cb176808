import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { AwsAdaptersModule, JobRepository, ObjectStore } from '#libs/aws';
import { JOB_FINAL_LISTENERS, type JobFinalListener, JobFinalizer } from '#libs/jobs';
import { loggerOptions } from '#libs/logging';
import { loadModelCatalog, ModelCatalog } from '#libs/models';
import { quotaProviders } from '#libs/quotas';
import { webhookProviders } from '#libs/webhooks';
import { WORKER_CONFIG, type WorkerConfig } from './config/worker.config.js';
import { WorkerHealthServer } from './health/health-server.js';
import { PollMonitor } from './health/poll-monitor.js';
import { NotificationConsumer } from './notifications/notification-consumer.js';
import { NotificationHandler } from './notifications/notification.handler.js';
import { webhookConsumerProviders } from './webhooks/webhook-consumer.js';

@Module({})
export class WorkerModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: loggerOptions(config.app, 'worker') }),
        AwsAdaptersModule.register({ ...config, sqs: { longPollSeconds: config.consumer.waitTimeSeconds } }),
      ],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: ModelCatalog, useFactory: () => loadModelCatalog(config.app) },
        // what is told when a job becomes final (quota and budget bookkeeping)
        ...quotaProviders(config),
        // the webhook queue, events and secrets, and the consumer that delivers webhooks
        ...webhookProviders(config),
        ...webhookConsumerProviders(config),
        {
          provide: JobFinalizer,
          inject: [JobRepository, ObjectStore, ModelCatalog, PinoLogger, JOB_FINAL_LISTENERS],
          useFactory: (
            jobs: JobRepository,
            objects: ObjectStore,
            catalog: ModelCatalog,
            logger: PinoLogger,
            listeners: JobFinalListener[],
          ) => new JobFinalizer(jobs, objects, catalog, config.resources.imagesBucket, logger, listeners),
        },
        { provide: PollMonitor, useFactory: () => new PollMonitor(config.health) },
        NotificationHandler,
        NotificationConsumer,
        WorkerHealthServer,
      ],
    };
  }
}
