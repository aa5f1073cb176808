import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import {
  createDynamoDbDocumentClient,
  createS3Client,
  createSqsClient,
  JobRepository,
  MessageQueue,
  ObjectStore,
} from '#libs/aws';
import { JobFinalizer } from '#libs/jobs';
import { loggerOptions } from '#libs/logging';
import { ModelCatalog } from '#libs/models';
import { WORKER_CONFIG, type WorkerConfig } from './config/worker.config.js';
import { NotificationConsumer } from './notifications/notification-consumer.js';
import { NotificationHandler } from './notifications/notification.handler.js';

@Module({})
export class WorkerModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [LoggerModule.forRoot({ pinoHttp: loggerOptions(config.app, 'worker') })],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: JobRepository,
          useFactory: () => new JobRepository(createDynamoDbDocumentClient(config.aws), config.resources.jobsTable),
        },
        { provide: ObjectStore, useFactory: () => new ObjectStore(createS3Client(config.aws)) },
        {
          provide: MessageQueue,
          useFactory: () => new MessageQueue(createSqsClient(config.aws), config.resources.notificationsQueueUrl),
        },
        {
          provide: ModelCatalog,
          useFactory: () =>
            config.app.modelCatalogFile ? ModelCatalog.fromFile(config.app.modelCatalogFile) : ModelCatalog.builtIn(),
        },
        {
          provide: JobFinalizer,
          inject: [JobRepository, ObjectStore, ModelCatalog, PinoLogger],
          useFactory: (jobs: JobRepository, objects: ObjectStore, catalog: ModelCatalog, logger: PinoLogger) =>
            new JobFinalizer(jobs, objects, catalog, config.resources.imagesBucket, logger),
        },
        NotificationHandler,
        NotificationConsumer,
      ],
    };
  }
}
