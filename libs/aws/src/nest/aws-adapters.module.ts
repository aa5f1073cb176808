import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { AwsConfig, ResourcesConfig } from '#libs/config';
import { AwsClients, type SqsClientOptions } from '../clients/aws-clients.js';
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
import { StreamLeases } from '../dynamodb/stream-leases.repository.js';
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

/** How each adapter is built from the validated config and the process's shared clients: one place, for api and worker. */
export const awsAdapterFactories = {
  jobRepository: ({ resources, jobWrites }: AwsAdaptersConfig, clients: AwsClients): JobRepository =>
    new JobRepository(clients.documents, resources.jobsTable, Date.now, jobWrites),
  idempotencyRepository: ({ resources }: AwsAdaptersConfig, clients: AwsClients): IdempotencyRepository =>
    new IdempotencyRepository(clients.documents, resources.accountsTable),
  batchRepository: ({ resources }: AwsAdaptersConfig, clients: AwsClients): BatchRepository =>
    new BatchRepository(clients.documents, resources.accountsTable),
  apiKeyRepository: ({ resources }: AwsAdaptersConfig, clients: AwsClients): ApiKeyRepository =>
    new ApiKeyRepository(clients.documents, resources.accountsTable),
  usageLedger: ({ resources }: AwsAdaptersConfig, clients: AwsClients): UsageLedger =>
    new UsageLedger(clients.documents, resources.accountsTable),
  modelStats: ({ resources }: AwsAdaptersConfig, clients: AwsClients): ModelStatsRepository =>
    new ModelStatsRepository(clients.documents, resources.accountsTable),
  endpointCapacity: ({ aws, capacityCacheMs }: AwsAdaptersConfig): EndpointCapacityClient =>
    new EndpointCapacityClient(new SageMakerControlPlane(aws), capacityCacheMs ?? DEFAULT_CAPACITY_CACHE_MS),
  objectStore: (_config: AwsAdaptersConfig, clients: AwsClients): ObjectStore => new ObjectStore(clients.s3),
  inferenceClient: (_config: AwsAdaptersConfig, clients: AwsClients): InferenceClient =>
    new InferenceClient(clients.sageMakerRuntime),
  messageQueue: ({ resources }: AwsAdaptersConfig, clients: AwsClients): MessageQueue =>
    new MessageQueue(clients.sqs, resources.notificationsQueueUrl),
  deletedJobs: ({ resources }: AwsAdaptersConfig, clients: AwsClients): DeletedJobs =>
    new DeletedJobs(clients.documents, resources.jobsTable),
  rateLimiter: ({ resources }: AwsAdaptersConfig, clients: AwsClients): RateLimiter =>
    new RateLimiter(clients.dynamoDbAggregated, resources.rateLimitsTable),
  streamLeases: ({ resources }: AwsAdaptersConfig, clients: AwsClients): StreamLeases =>
    new StreamLeases(clients.documents, resources.accountsTable),
};

type AdapterName = keyof typeof awsAdapterFactories;

/** Each adapter's injection token (its class), which must be what its factory builds. */
const ADAPTER_TOKENS: {
  [K in AdapterName]: abstract new (...args: never[]) => ReturnType<(typeof awsAdapterFactories)[K]>;
} = {
  jobRepository: JobRepository,
  idempotencyRepository: IdempotencyRepository,
  batchRepository: BatchRepository,
  apiKeyRepository: ApiKeyRepository,
  usageLedger: UsageLedger,
  modelStats: ModelStatsRepository,
  endpointCapacity: EndpointCapacityClient,
  objectStore: ObjectStore,
  inferenceClient: InferenceClient,
  messageQueue: MessageQueue,
  deletedJobs: DeletedJobs,
  rateLimiter: RateLimiter,
  streamLeases: StreamLeases,
};

/**
 * The adapters around AWS (those of ADAPTER_TOKENS, and CancelMarkers), built once from the validated config over one
 * AwsClients, which the module also exports for the process's other adapters. SDK clients open no connection until first used, so a process that never
 * calls one pays nothing.
 */
@Module({})
export class AwsAdaptersModule {
  static register(config: AwsAdaptersConfig): DynamicModule {
    const clients = new AwsClients(config.aws, config.sqs);
    const adapters = (Object.keys(ADAPTER_TOKENS) as AdapterName[]).map((name): Provider => ({
      provide: ADAPTER_TOKENS[name],
      useFactory: () => awsAdapterFactories[name](config, clients),
    }));
    const providers: Provider[] = [
      { provide: AwsClients, useValue: clients },
      ...adapters,
      {
        provide: CancelMarkers,
        inject: [ObjectStore],
        useFactory: (objects: ObjectStore) => new CancelMarkers(objects, config.resources.requestsBucket),
      },
    ];
    return {
      module: AwsAdaptersModule,
      providers,
      exports: [AwsClients, ...Object.values(ADAPTER_TOKENS), CancelMarkers],
    };
  }
}
