import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AwsConfig } from '#libs/config';
import { startBlackHole, type BlackHole } from '../../../../test/support/black-hole.js';
import { DependencyUnavailableError } from '../errors/dependency.error.js';
import { MessageQueue } from '../sqs/message-queue.js';
import { createDynamoDbClient, createS3Client, createSqsClient } from './aws-clients.js';

/** Resolves with the call's outcome, or with 'still waiting' when the call outlives `boundMs`. */
async function within<T>(
  boundMs: number,
  call: Promise<T>,
): Promise<{ error: unknown } | 'still waiting' | 'resolved'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'still waiting'>((resolve) => {
    timer = setTimeout(() => resolve('still waiting'), boundMs);
  });
  const outcome = call.then(
    () => 'resolved' as const,
    (error: unknown) => ({ error }),
  );
  try {
    return await Promise.race([outcome, bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe('AWS clients against a server that accepts connections and never answers', () => {
  let hole: BlackHole;
  let config: AwsConfig;
  // 3 SDK attempts × 300 ms plus the SDK's retry backoff (well under a second) fit in the bound
  const boundMs = 4_000;

  beforeAll(async () => {
    hole = await startBlackHole();
    config = {
      region: 'us-east-1',
      endpoints: { dynamodb: hole.url, s3: hole.url, sqs: hole.url },
      s3ForcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      timeouts: { connectionTimeoutMs: 200, requestTimeoutMs: 300 },
      invokeRetry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    };
  });

  afterAll(async () => {
    await hole?.close();
  });

  it('DynamoDB gives up with a TimeoutError within the bound', async () => {
    const outcome = await within(
      boundMs,
      createDynamoDbClient(config).send(new GetItemCommand({ TableName: 't', Key: { jobId: { S: 'x' } } })),
    );
    expect(outcome).toEqual({ error: expect.objectContaining({ name: 'TimeoutError' }) });
    expect(hole.connections()).toBeGreaterThan(0);
  });

  it('S3 gives up with a TimeoutError within the bound', async () => {
    const outcome = await within(boundMs, createS3Client(config).send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })));
    expect(outcome).toEqual({ error: expect.objectContaining({ name: 'TimeoutError' }) });
  });

  it('an SQS long poll may stay silent for its wait, then fails as a dependency error', async () => {
    const queue = new MessageQueue(createSqsClient(config, { longPollSeconds: 1 }), `${hole.url}/000000000000/q`);
    const started = Date.now();
    const outcome = await within(boundMs + 3 * 1000, queue.receive({ maxMessages: 1, waitTimeSeconds: 1 }));
    expect(outcome).toEqual({ error: expect.any(DependencyUnavailableError) });
    // each attempt waited for the long poll plus the request timeout before giving up
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_300);
  });
});
