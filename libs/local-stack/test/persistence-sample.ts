import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_LOCAL_PORTS, type Env, loadAwsConfig, localEnvironment } from '#libs/config';
import type { EmulatorPorts } from '#libs/local-stack';

/** One DynamoDB item, one S3 object and one SQS message: what must survive a restart of the emulators. */
export const SAMPLE = { jobId: 'persisted-job', key: 'requests/persisted-job.json', body: '{"prompt":"kept"}' };

export function sampleEnv(ports: EmulatorPorts, prefix: string): Env {
  return localEnvironment({ ports: { ...DEFAULT_LOCAL_PORTS, ...ports }, prefix, environment: 'test' });
}

function clients(env: Env): { dynamodb: DynamoDBClient; s3: S3Client; sqs: SQSClient; destroy(): void } {
  const aws = loadAwsConfig(env);
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ region: aws.region, endpoint: aws.endpoints.dynamodb, credentials });
  const s3 = new S3Client({ region: aws.region, endpoint: aws.endpoints.s3, forcePathStyle: true, credentials });
  const sqs = new SQSClient({ region: aws.region, endpoint: aws.endpoints.sqs, credentials });
  return {
    dynamodb,
    s3,
    sqs,
    destroy() {
      dynamodb.destroy();
      s3.destroy();
      sqs.destroy();
    },
  };
}

export async function writeSample(env: Env): Promise<void> {
  const c = clients(env);
  try {
    await c.dynamodb.send(
      new PutItemCommand({
        TableName: env.JOBS_TABLE,
        Item: { jobId: { S: SAMPLE.jobId }, ownerId: { S: 'alice' }, status: { S: 'QUEUED' } },
      }),
    );
    await c.s3.send(new PutObjectCommand({ Bucket: env.JOBS_REQUESTS_BUCKET, Key: SAMPLE.key, Body: SAMPLE.body }));
    await c.sqs.send(new SendMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, MessageBody: SAMPLE.body }));
  } finally {
    c.destroy();
  }
}

export async function readSample(
  env: Env,
): Promise<{ status: string | undefined; object: string | undefined; message: string | undefined }> {
  const c = clients(env);
  try {
    const item = await c.dynamodb.send(
      new GetItemCommand({ TableName: env.JOBS_TABLE, Key: { jobId: { S: SAMPLE.jobId } } }),
    );
    const object = await c.s3.send(new GetObjectCommand({ Bucket: env.JOBS_REQUESTS_BUCKET, Key: SAMPLE.key }));
    const received = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, WaitTimeSeconds: 1, MaxNumberOfMessages: 1 }),
    );
    return {
      status: item.Item?.status?.S,
      object: await object.Body?.transformToString(),
      message: received.Messages?.[0]?.Body,
    };
  } finally {
    c.destroy();
  }
}
