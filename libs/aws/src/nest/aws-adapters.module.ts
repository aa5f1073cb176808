import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { AwsConfig, ResourcesConfig } from '#libs/config';
import {
  createDynamoDbAggregatedClient,
  createDynamoDbDocumentClient,
  createS3Client,
  createSageMakerRuntimeClient,
  createSqsClient,
  type SqsClientOptions,
} from '../clients/aws-clients.js';
import { BatchRepository } from '../dynamodb/batch.repository.js';
import { ApiKeyRepository } from '../dynamodb/api-key.repository.js';
import { DeletedJobs } from '../dynamodb/deleted-jobs.js';
import { IdempotencyRepository } from '../dynamodb/idempotency.repository.js';
import { JobRepository, type JobWriteObserver } from '../dynamodb/job.repository.js';
import { ModelStatsRepository } from '../dynamodb/model-stats.repository.js';
import { SageMakerControlPlane } from '../sagemaker/describe-endpoint.js';
import { EndpointCapacityClient } from '../sagemaker/endpoint-capacity.js';
import { UsageLedger } from '../dynamodb/usage-ledger.repository.js';
import { RateLimiter } from '../dynamodb/rate-limiter.js';
import { CancelMarkers } from '../s3/cancel-markers.js';
import { ObjectStore } from '../s3/object-store.js';
import { InferenceClient } from '../sagemaker/inference.client.js';
import { MessageQueue } from '../sqs/message-queue.js';

export interface AwsAdaptersConfig {
  aws: AwsConfig;
  resources: ResourcesConfig;
  /** The SQS client's long-poll allowance (the worker passes its WaitTimeSeconds). */
  sqs?: SqsClientOptions;
  /** How long a DescribeEndpoint answer is reused (default 5 s). */
  capacityCacheMs?: number;
  /** Told of each job's final write (the process's metrics). */
  jobWrites?: JobWriteObserver;
}

export const DEFAULT_CAPACITY_CACHE_MS = 5000;

/** How each adapter is built from the validated config: one place, shared by the api and the worker. */
export const awsAdapterFactories = {
  jobRepository: ({ aws, resources, jobWrites }: AwsAdaptersConfig): JobRepository =>
    new JobRepository(createDynamoDbDocumentClient(aws), resources.jobsTable, Date.now, jobWrites),
  idempotencyRepository: ({ aws, resources }: AwsAdaptersConfig): IdempotencyRepository =>
    new IdempotencyRepository(createDynamoDbDocumentClient(aws), resources.accountsTable),
  batchRepository: ({ aws, resources }: AwsAdaptersConfig): BatchRepository =>
    new BatchRepository(createDynamoDbDocumentClient(aws), resources.accountsTable),
  apiKeyRepository: ({ aws, resources }: AwsAdaptersConfig): ApiKeyRepository =>
    new ApiKeyRepository(createDynamoDbDocumentClient(aws), resources.accountsTable),
  usageLedger: ({ aws, resources }: AwsAdaptersConfig): UsageLedger =>
    new UsageLedger(createDynamoDbDocumentClient(aws), resources.accountsTable),
  modelStats: ({ aws, resources }: AwsAdaptersConfig): ModelStatsRepository =>
    new ModelStatsRepository(createDynamoDbDocumentClient(aws), resources.accountsTable),
  endpointCapacity: ({ aws, capacityCacheMs }: AwsAdaptersConfig): EndpointCapacityClient =>
    new EndpointCapacityClient(new SageMakerControlPlane(aws), capacityCacheMs ?? DEFAULT_CAPACITY_CACHE_MS),
  objectStore: ({ aws }: AwsAdaptersConfig): ObjectStore => new ObjectStore(createS3Client(aws)),
  inferenceClient: ({ aws }: AwsAdaptersConfig): InferenceClient =>
    new InferenceClient(createSageMakerRuntimeClient(aws)),
  messageQueue: ({ aws, resources, sqs }: AwsAdaptersConfig): MessageQueue =>
    new MessageQueue(createSqsClient(aws, sqs), resources.notificationsQueueUrl),
  deletedJobs: ({ aws, resources }: AwsAdaptersConfig): DeletedJobs =>
    new DeletedJobs(createDynamoDbDocumentClient(aws), resources.jobsTable),
  rateLimiter: ({ aws, resources }: AwsAdaptersConfig): RateLimiter =>
    new RateLimiter(createDynamoDbAggregatedClient(aws), resources.rateLimitsTable),
};

/**
 * The adapters around AWS (JobRepository, IdempotencyRepository, ApiKeyRepository, UsageLedger, RateLimiter, ObjectStore,
 * InferenceClient, MessageQueue), built once from the validated config. SDK clients open no connection until first used, so a process that never calls one pays nothing.
 */
@Module({})
export class AwsAdaptersModule {
  static register(config: AwsAdaptersConfig): DynamicModule {
    const providers: Provider[] = [
      { provide: JobRepository, useFactory: () => awsAdapterFactories.jobRepository(config) },
      { provide: IdempotencyRepository, useFactory: () => awsAdapterFactories.idempotencyRepository(config) },
      { provide: ApiKeyRepository, useFactory: () => awsAdapterFactories.apiKeyRepository(config) },
      { provide: UsageLedger, useFactory: () => awsAdapterFactories.usageLedger(config) },
      { provide: BatchRepository, useFactory: () => awsAdapterFactories.batchRepository(config) },
      { provide: ModelStatsRepository, useFactory: () => awsAdapterFactories.modelStats(config) },
      { provide: EndpointCapacityClient, useFactory: () => awsAdapterFactories.endpointCapacity(config) },
      { provide: ObjectStore, useFactory: () => awsAdapterFactories.objectStore(config) },
      { provide: InferenceClient, useFactory: () => awsAdapterFactories.inferenceClient(config) },
      { provide: MessageQueue, useFactory: () => awsAdapterFactories.messageQueue(config) },
      { provide: RateLimiter, useFactory: () => awsAdapterFactories.rateLimiter(config) },
      { provide: DeletedJobs, useFactory: () => awsAdapterFactories.deletedJobs(config) },
      {
        provide: CancelMarkers,
        inject: [ObjectStore],
        useFactory: (objects: ObjectStore) => new CancelMarkers(objects, config.resources.requestsBucket),
      },
    ];
    return {
      module: AwsAdaptersModule,
      providers,
      exports: [
        JobRepository,
        IdempotencyRepository,
        ApiKeyRepository,
        UsageLedger,
        BatchRepository,
        RateLimiter,
        ModelStatsRepository,
        EndpointCapacityClient,
        ObjectStore,
        InferenceClient,
        MessageQueue,
        DeletedJobs,
        CancelMarkers,
      ],
    };
  }
}
