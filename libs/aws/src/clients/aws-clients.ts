import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsConfig, AwsService } from '#libs/config';

interface BaseOptions {
  region: string;
  endpoint?: string;
  credentials?: AwsConfig['credentials'];
}

function baseOptions(config: AwsConfig, service: AwsService): BaseOptions {
  const endpoint = config.endpoints[service];
  return {
    region: config.region,
    // An explicit endpoint also stops the SQS client from routing by the QueueUrl host.
    ...(endpoint ? { endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
}

export function createDynamoDbClient(config: AwsConfig): DynamoDBClient {
  return new DynamoDBClient(baseOptions(config, 'dynamodb'));
}

export function createDynamoDbDocumentClient(config: AwsConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createS3Client(config: AwsConfig): S3Client {
  return new S3Client({ ...baseOptions(config, 's3'), forcePathStyle: config.s3ForcePathStyle });
}

export function createSqsClient(config: AwsConfig): SQSClient {
  return new SQSClient(baseOptions(config, 'sqs'));
}

export function createSnsClient(config: AwsConfig): SNSClient {
  return new SNSClient(baseOptions(config, 'sns'));
}

export function createSageMakerRuntimeClient(config: AwsConfig): SageMakerRuntimeClient {
  // A busy async endpoint answers within milliseconds; a real-time one may take up to 60 s to render.
  return new SageMakerRuntimeClient({ ...baseOptions(config, 'sagemakerRuntime'), maxAttempts: 3 });
}
