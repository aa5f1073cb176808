import { DynamoDB, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsConfig, AwsService } from '#libs/config';
import { invokeRetryStrategy } from '../sagemaker/invoke-retry.js';

/** The longest SQS long poll (ReceiveMessage WaitTimeSeconds). */
export const SQS_MAX_WAIT_SECONDS = 20;

interface BaseOptions {
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

function baseOptions(config: AwsConfig, service: AwsService, extraRequestMs = 0): BaseOptions {
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
  return new DynamoDBClient(baseOptions(config, 'dynamodb'));
}

/** The aggregated client (`client.getItem(...)`), for libraries written against it: rate-limiter-flexible. */
export function createDynamoDbAggregatedClient(config: AwsConfig): DynamoDB {
  return new DynamoDB(baseOptions(config, 'dynamodb'));
}

export function createDynamoDbDocumentClient(config: AwsConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createS3Client(config: AwsConfig): S3Client {
  return new S3Client({ ...baseOptions(config, 's3'), forcePathStyle: config.s3ForcePathStyle });
}

export interface SqsClientOptions {
  /** The longest WaitTimeSeconds this client's receives use: a long poll legitimately stays silent that long. */
  longPollSeconds?: number;
}

export function createSqsClient(config: AwsConfig, options: SqsClientOptions = {}): SQSClient {
  const longPollSeconds = options.longPollSeconds ?? SQS_MAX_WAIT_SECONDS;
  return new SQSClient(baseOptions(config, 'sqs', longPollSeconds * 1000));
}

export function createSnsClient(config: AwsConfig): SNSClient {
  return new SNSClient(baseOptions(config, 'sns'));
}

export function createKmsClient(config: AwsConfig): KMSClient {
  return new KMSClient(baseOptions(config, 'kms'));
}

export function createSageMakerRuntimeClient(config: AwsConfig): SageMakerRuntimeClient {
  // InvokeEndpointAsync answers within milliseconds; a real-time InvokeEndpoint caller passes a longer
  // per-call requestTimeout (a real-time endpoint may take up to 60 s to render). Throttled invocations are tried
  // again with backoff (AwsConfig.invokeRetry).
  return new SageMakerRuntimeClient({
    ...baseOptions(config, 'sagemakerRuntime'),
    retryStrategy: invokeRetryStrategy(config.invokeRetry),
  });
}
