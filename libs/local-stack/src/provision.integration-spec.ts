import { jest } from '@jest/globals';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, GetSubscriptionAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DEFAULT_LOCAL_PORTS, type Env, localEnvironment, snsTopicArn } from '#libs/config';
import { startEmulators, type RunningEmulators } from './emulators.js';
import { provisionResources, ProvisioningError } from './provision.js';

jest.setTimeout(60_000);

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('provisionResources', () => {
  let emulators: RunningEmulators;
  let sqs: SQSClient;
  let sns: SNSClient;
  let dynamodb: DynamoDBClient;

  const envFor = (prefix: string): Env =>
    localEnvironment({ ports: { ...DEFAULT_LOCAL_PORTS, ...emulators.ports }, prefix, environment: 'test' });

  beforeAll(async () => {
    // A non-zero CREATING time exercises the wait for ACTIVE.
    emulators = await startEmulators({ ports: { fauxqs: 0, dynalite: 0 }, createTableMs: 300 });
    const region = 'us-east-1';
    sqs = new SQSClient({ region, endpoint: emulators.fauxqsUrl, credentials });
    sns = new SNSClient({ region, endpoint: emulators.fauxqsUrl, credentials });
    dynamodb = new DynamoDBClient({ region, endpoint: emulators.dynamodbUrl, credentials });
  });

  afterAll(async () => {
    sqs.destroy();
    sns.destroy();
    dynamodb.destroy();
    await emulators.stop();
  });

  it('creates everything once, and a second run changes nothing', async () => {
    const env = envFor('it-prov');
    const first = await provisionResources({ env });
    expect(first.changes).toEqual(
      expect.arrayContaining([
        'created table it-prov-jobs',
        'created table it-prov-accounts',
        'created table it-prov-rate-limits',
        'created bucket it-prov-requests',
        'created bucket it-prov-outputs',
        'created bucket it-prov-images',
        'created queue it-prov-notifications-dlq',
        'created queue it-prov-notifications',
        'created topic it-prov-inference-success',
        'created topic it-prov-inference-error',
      ]),
    );
    const second = await provisionResources({ env });
    expect(second.changes).toEqual([]);
    expect(second).toEqual({ ...first, changes: [] });

    // What the api and worker get from the environment is what was provisioned.
    expect(first.topics.success.arn).toBe(env.JOBS_SUCCESS_TOPIC_ARN);
    expect(first.topics.error.arn).toBe(env.JOBS_ERROR_TOPIC_ARN);
    expect(new URL(first.queue.url).pathname).toBe(new URL(env.JOBS_QUEUE_URL!).pathname);
    expect(first.table.indexes).toEqual([
      'byDeadline',
      'byEndpointActive',
      'byExpiry',
      'byOwner',
      'byOwnerStatus',
      'byOwnerUpdated',
    ]);
  });

  it('creates the jobs table with its key, billing mode and its indexes', async () => {
    const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'it-prov-jobs' }));
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.KeySchema).toEqual([{ AttributeName: 'jobId', KeyType: 'HASH' }]);
    expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const indexes = Object.fromEntries(
      (table?.GlobalSecondaryIndexes ?? []).map((index) => [
        index.IndexName,
        { keys: index.KeySchema, projection: index.Projection?.ProjectionType },
      ]),
    );
    expect(indexes).toEqual({
      byOwner: {
        keys: [
          { AttributeName: 'ownerId', KeyType: 'HASH' },
          { AttributeName: 'jobId', KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      },
      byOwnerStatus: {
        keys: [
          { AttributeName: 'ownerStatus', KeyType: 'HASH' },
          { AttributeName: 'jobId', KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      },
      // the reaper's sparse, sharded indexes: active jobs by deadline, every job by expiry
      byDeadline: {
        keys: [
          { AttributeName: 'activeShard', KeyType: 'HASH' },
          { AttributeName: 'deadlineAt', KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      },
      byExpiry: {
        keys: [
          { AttributeName: 'expiryShard', KeyType: 'HASH' },
          { AttributeName: 'expiresAt', KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      },
      // progress and events: unfinished jobs per endpoint (queue position), an owner's jobs by last write
      byEndpointActive: {
        keys: [
          { AttributeName: 'activeEndpoint', KeyType: 'HASH' },
          { AttributeName: 'jobId', KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      },
      byOwnerUpdated: {
        keys: [
          { AttributeName: 'ownerId', KeyType: 'HASH' },
          { AttributeName: 'updatedAt', KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      },
    });
    // expiresAt is the TTL attribute: a number of epoch seconds
    expect(table?.AttributeDefinitions).toContainEqual({ AttributeName: 'expiresAt', AttributeType: 'N' });
    expect(table?.AttributeDefinitions).toContainEqual({ AttributeName: 'deadlineAt', AttributeType: 'S' });
  });

  it('creates the accounts and rate-limits tables with the keys their repositories use', async () => {
    const keys = async (TableName: string) =>
      (await dynamodb.send(new DescribeTableCommand({ TableName }))).Table?.KeySchema;
    expect(await keys('it-prov-accounts')).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    // rate-limiter-flexible's DynamoDB store reads and writes items keyed by `key`
    expect(await keys('it-prov-rate-limits')).toEqual([{ AttributeName: 'key', KeyType: 'HASH' }]);
    const provisioned = await provisionResources({ env: envFor('it-prov') });
    // dynalite has no UpdateTimeToLive; provisioning says so instead of failing
    expect(provisioned.table.timeToLive).toBe('unsupported');
    expect(provisioned.accountsTable.timeToLive).toBe('unsupported');
    expect(provisioned.rateLimitsTable.timeToLive).toBe('unsupported');
  });

  it('configures the queue, its DLQ, the policy and the subscriptions', async () => {
    const env = envFor('it-prov');
    const provisioned = await provisionResources({ env });
    const attributes = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: env.JOBS_QUEUE_URL, AttributeNames: ['All'] }))
    ).Attributes!;
    expect(attributes.VisibilityTimeout).toBe('60');
    expect(attributes.ReceiveMessageWaitTimeSeconds).toBe('20');
    expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: provisioned.deadLetterQueue.arn,
      maxReceiveCount: 10,
    });
    const policy = JSON.parse(attributes.Policy!);
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: provisioned.queue.arn,
      Condition: { ArnEquals: { 'aws:SourceArn': [provisioned.topics.success.arn, provisioned.topics.error.arn] } },
    });
    const dlq = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: env.JOBS_DLQ_URL, AttributeNames: ['MessageRetentionPeriod'] }),
      )
    ).Attributes!;
    expect(dlq.MessageRetentionPeriod).toBe(String(14 * 24 * 3600));
    for (const topic of [provisioned.topics.success, provisioned.topics.error]) {
      const subscription = (
        await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: topic.subscriptionArn }))
      ).Attributes!;
      expect(subscription).toMatchObject({
        TopicArn: topic.arn,
        Protocol: 'sqs',
        Endpoint: provisioned.queue.arn,
      });
      expect(subscription.RawMessageDelivery ?? 'false').toBe('false');
    }
  });

  it('delivers a success-topic publication to the queue in the SNS envelope, at the env queue URL', async () => {
    const env = envFor('it-prov');
    const notification = JSON.stringify({ invocationStatus: 'Completed', inferenceId: '01JTEST' });
    await sns.send(new PublishCommand({ TopicArn: env.JOBS_SUCCESS_TOPIC_ARN, Message: notification }));

    // The env's URL (http://127.0.0.1:<port>/000000000000/<name>) is the form the api and worker use.
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, WaitTimeSeconds: 5, MaxNumberOfMessages: 1 }),
    );
    const message = received.Messages?.[0];
    expect(message).toBeDefined();
    const envelope = JSON.parse(message!.Body!);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      TopicArn: env.JOBS_SUCCESS_TOPIC_ARN,
      Message: notification,
    });
    expect(typeof envelope.MessageId).toBe('string');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, ReceiptHandle: message!.ReceiptHandle }));

    // And SendMessage works at that URL too.
    await sqs.send(new SendMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, MessageBody: 'direct' }));
    const direct = await sqs.send(new ReceiveMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, WaitTimeSeconds: 5 }));
    expect(direct.Messages?.[0]?.Body).toBe('direct');
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, ReceiptHandle: direct.Messages![0]!.ReceiptHandle }),
    );
  });

  it('moves a message received more than maxReceiveCount times without a delete to the DLQ', async () => {
    const env = envFor('it-dlq');
    await provisionResources({ env });
    // Re-provisioning with other settings converges the existing queue instead of failing.
    const tuned = await provisionResources({
      env,
      maxReceiveCount: 2,
      visibilityTimeoutSeconds: 0,
      receiveMessageWaitTimeSeconds: 0,
    });
    expect(tuned.changes).toEqual([
      'set VisibilityTimeout, ReceiveMessageWaitTimeSeconds, RedrivePolicy on queue it-dlq-notifications',
      // the webhook queue has the same settings and its own DLQ
      'set VisibilityTimeout, ReceiveMessageWaitTimeSeconds, RedrivePolicy on queue it-dlq-webhooks',
      // the progress queue long-polls too (it has no DLQ: a lost step report is replaced by the next)
      'set ReceiveMessageWaitTimeSeconds on queue it-dlq-progress',
    ]);

    await sqs.send(new SendMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, MessageBody: 'poison' }));
    let receives = 0;
    let inDlq: string | undefined;
    const deadline = Date.now() + 10_000;
    while (inDlq === undefined && Date.now() < deadline) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, WaitTimeSeconds: 0 }));
      receives += got.Messages?.length ?? 0;
      const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: env.JOBS_DLQ_URL, WaitTimeSeconds: 0 }));
      inDlq = dead.Messages?.[0]?.Body;
    }
    expect(inDlq).toBe('poison');
    expect(receives).toBe(2);
  });

  it('fails, naming the variable, when the environment points elsewhere than what it provisioned', async () => {
    const env = {
      ...envFor('it-prov'),
      JOBS_ERROR_TOPIC_ARN: snsTopicArn('it-prov-inference-error', 'us-east-1', '123456789012'),
    };
    await expect(provisionResources({ env, prefix: 'it-prov' })).rejects.toThrow(ProvisioningError);
    await expect(provisionResources({ env, prefix: 'it-prov' })).rejects.toThrow(/JOBS_ERROR_TOPIC_ARN/);
  });
});
