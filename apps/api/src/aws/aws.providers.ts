import { type Provider } from '@nestjs/common';
import {
  createDynamoDbDocumentClient,
  createS3Client,
  createSageMakerRuntimeClient,
  createSqsClient,
  InferenceClient,
  JobRepository,
  MessageQueue,
  ObjectStore,
} from '#libs/aws';
import { ModelCatalog } from '#libs/models';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';

/** The api's adapters around AWS, built once from the validated config. */
export const awsProviders: Provider[] = [
  {
    provide: JobRepository,
    inject: [API_CONFIG],
    useFactory: ({ aws, resources }: ApiConfig) =>
      new JobRepository(createDynamoDbDocumentClient(aws), resources.jobsTable),
  },
  {
    provide: ObjectStore,
    inject: [API_CONFIG],
    useFactory: ({ aws }: ApiConfig) => new ObjectStore(createS3Client(aws)),
  },
  {
    provide: InferenceClient,
    inject: [API_CONFIG],
    useFactory: ({ aws }: ApiConfig) => new InferenceClient(createSageMakerRuntimeClient(aws)),
  },
  {
    provide: MessageQueue,
    inject: [API_CONFIG],
    useFactory: ({ aws, resources }: ApiConfig) =>
      new MessageQueue(createSqsClient(aws), resources.notificationsQueueUrl),
  },
  {
    provide: ModelCatalog,
    inject: [API_CONFIG],
    useFactory: ({ app }: ApiConfig) =>
      app.modelCatalogFile ? ModelCatalog.fromFile(app.modelCatalogFile) : ModelCatalog.builtIn(),
  },
];
