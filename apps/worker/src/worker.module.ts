import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { AwsAdaptersModule, createSqsClient, JobRepository, MessageQueue, ModelStatsRepository } from '#libs/aws';
import { reaperProviders } from './reaper/reaper.providers.js';
import { jobFinalizerProvider } from '#libs/jobs';
import { pinoHttpSettings } from '#libs/logging';
import { loadModelCatalog, ModelCatalog } from '#libs/models';
import { quotaProviders } from '#libs/quotas';
import { WebhookEvents, webhookProviders } from '#libs/webhooks';
import { WORKER_CONFIG, type WorkerConfig } from './config/worker.config.js';
import { WorkerHealthServer } from './health/health-server.js';
import { PollMonitor } from './health/poll-monitor.js';
import { CanceledResults } from './cancellation/canceled-results.js';
import { NotificationConsumer } from './notifications/notification-consumer.js';
import { NotificationHandler } from './notifications/notification.handler.js';
import { InferenceStatsListener } from './progress/inference-stats.listener.js';
import { ProgressConsumer } from './progress/progress-consumer.js';
import { ProgressHandler } from './progress/progress.handler.js';
import { webhookConsumerProviders } from './webhooks/webhook-consumer.js';
import { JobMetrics, TracingShutdown } from '#libs/observability';
import { QueueDepthSampler } from './observability/queue-depth-sampler.js';

@Module({})
export class WorkerModule {
  static register(config: WorkerConfig): DynamicModule {
    const jobMetrics = new JobMetrics(config.observability.metrics);
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: pinoHttpSettings(config.app, 'worker') }),
        AwsAdaptersModule.register({
          ...config,
          sqs: { longPollSeconds: config.consumer.waitTimeSeconds },
          jobWrites: jobMetrics,
        }),
      ],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        QueueDepthSampler,
        TracingShutdown,
        { provide: ModelCatalog, useFactory: () => loadModelCatalog(config.app) },
        // what is told when a job becomes final (quota and budget bookkeeping)
        ...quotaProviders(config),
        // the webhook queue, events and secrets, and the consumer that delivers webhooks
        ...webhookProviders(config),
        ...webhookConsumerProviders(config),
        jobFinalizerProvider(config.resources.imagesBucket, {
          inject: [ModelStatsRepository, ModelCatalog, PinoLogger],
          // the model's average inference time, for ETAs
          listeners: (stats: ModelStatsRepository, catalog: ModelCatalog, logger: PinoLogger) => [
            new InferenceStatsListener(stats, catalog, logger),
          ],
        }),
        {
          provide: ProgressConsumer,
          inject: [JobRepository, ModelStatsRepository, PinoLogger, PinoLogger, WebhookEvents],
          useFactory: (
            jobs: JobRepository,
            stats: ModelStatsRepository,
            consumerLogger: PinoLogger,
            handlerLogger: PinoLogger,
            webhooks: WebhookEvents,
          ) => {
            const queueUrl = config.resources.progressQueueUrl;
            if (!queueUrl) {
              return new ProgressConsumer(undefined);
            }
            const queue = new MessageQueue(
              createSqsClient(config.aws, { longPollSeconds: config.consumer.waitTimeSeconds }),
              queueUrl,
            );
            return new ProgressConsumer(
              new NotificationConsumer(
                queue,
                new ProgressHandler(jobs, stats, handlerLogger, webhooks),
                // its own monitor: the health endpoint watches the notifications loop
                new PollMonitor(config.health),
                consumerLogger,
                config,
              ),
            );
          },
        },
        { provide: PollMonitor, useFactory: () => new PollMonitor(config.health) },
        CanceledResults,
        NotificationHandler,
        NotificationConsumer,
        ...reaperProviders(config),
        WorkerHealthServer,
      ],
    };
  }
}
