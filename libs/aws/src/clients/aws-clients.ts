import { DynamoDB, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsConfig, AwsService } from '#libs/config';
import { invokeRetryStrategy } from '../sagemaker/invoke-retry.js';

/** The longest SQS long poll (ReceiveMessage WaitTimeSeconds). */
export const SQS_MAX_WAIT_SECONDS = 20;

export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  credentials?: AwsConfig['credentials'];
  requestHandler: NodeHttpHandler;
}

/**
 * Bounded HTTP: without these the SDK waits forever on a peer that accepts the connection and never answers.
 * `requestTimeout` bounds one attempt end to end; the SDK's own retries (3 attempts by default) come on top.
 */
function requestHandler(config: AwsConfig, extraRequestMs = 0): NodeHttpHandler {
  const { connectionTimeoutMs, requestTimeoutMs } = config.timeouts;
  return new NodeHttpHandler({
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs + extraRequestMs,
    throwOnRequestTimeout: true,
  });
}

/**
 * Region, endpoint override, credentials and bounded HTTP for any SDK v3 client of `service`. Clients the api never
 * needs (SNS for the stub, KMS when a key is configured) are built from these where they are used, so that their SDK
 * packages are loaded only by the processes that call them.
 */
export function awsClientOptions(config: AwsConfig, service: AwsService, extraRequestMs = 0): AwsClientOptions {
  const endpoint = config.endpoints[service];
  return {
    region: config.region,
    // An explicit endpoint also stops the SQS client from routing by the QueueUrl host.
    ...(endpoint ? { endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    requestHandler: requestHandler(config, extraRequestMs),
  };
}

export function createDynamoDbClient(config: AwsConfig): DynamoDBClient {
  return new DynamoDBClient(awsClientOptions(config, 'dynamodb'));
}

/** The aggregated client (`client.getItem(...)`), for libraries written against it: rate-limiter-flexible. */
export function createDynamoDbAggregatedClient(config: AwsConfig): DynamoDB {
  return new DynamoDB(awsClientOptions(config, 'dynamodb'));
}

export function createDynamoDbDocumentClient(config: AwsConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createS3Client(config: AwsConfig): S3Client {
  return new S3Client({ ...awsClientOptions(config, 's3'), forcePathStyle: config.s3ForcePathStyle });
}

export interface SqsClientOptions {
  /** The longest WaitTimeSeconds this client's receives use: a long poll legitimately stays silent that long. */
  longPollSeconds?: number;
}

export function createSqsClient(config: AwsConfig, options: SqsClientOptions = {}): SQSClient {
  const longPollSeconds = options.longPollSeconds ?? SQS_MAX_WAIT_SECONDS;
  return new SQSClient(awsClientOptions(config, 'sqs', longPollSeconds * 1000));
}

export function createSageMakerRuntimeClient(config: AwsConfig): SageMakerRuntimeClient {
  // InvokeEndpointAsync answers within milliseconds; a real-time InvokeEndpoint caller passes a longer
  // per-call requestTimeout (a real-time endpoint may take up to 60 s to render). Throttled invocations are tried
  // again with backoff (AwsConfig.invokeRetry).
  return new SageMakerRuntimeClient({
    ...awsClientOptions(config, 'sagemakerRuntime'),
    retryStrategy: invokeRetryStrategy(config.invokeRetry),
  });
}

/**
 * The SDK clients of one process, each built on first use and then shared by every adapter: one keep-alive pool of
 * connections per service instead of one per adapter, and each client's config resolved once.
 */
export class AwsClients {
  #documents?: DynamoDBDocumentClient;
  #dynamoDbAggregated?: DynamoDB;
  #s3?: S3Client;
  #sqs?: SQSClient;
  #sageMakerRuntime?: SageMakerRuntimeClient;

  constructor(
    private readonly config: AwsConfig,
    private readonly sqsOptions: SqsClientOptions = {},
  ) {}

  get documents(): DynamoDBDocumentClient {
    return (this.#documents ??= createDynamoDbDocumentClient(this.config));
  }

  get dynamoDbAggregated(): DynamoDB {
    return (this.#dynamoDbAggregated ??= createDynamoDbAggregatedClient(this.config));
  }

  get s3(): S3Client {
    return (this.#s3 ??= createS3Client(this.config));
  }

  get sqs(): SQSClient {
    return (this.#sqs ??= createSqsClient(this.config, this.sqsOptions));
  }

  get sageMakerRuntime(): SageMakerRuntimeClient {
    return (this.#sageMakerRuntime ??= createSageMakerRuntimeClient(this.config));
  }
}
