import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  HeadBucketCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  CreateTopicCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  ACCOUNTS_TABLE_SCHEMA,
  awsClientOptions,
  createDynamoDbClient,
  createS3Client,
  createSqsClient,
  JOBS_TABLE_SCHEMA,
  type KeyShape,
  RATE_LIMITS_TABLE_SCHEMA,
  type TableSchema,
} from '#libs/aws';
import {
  type Env,
  loadAwsConfig,
  loadResourcesConfig,
  type LocalResourceNames,
  localResourceNames,
} from '#libs/config';

export const DEFAULT_QUEUE_SETTINGS = {
  /**
   * Receives before the DLQ. With the worker's backoff (10 s doubling, capped at 5 min, up to 20 % jitter) the
   * last receive comes at least 20 minutes after the first: a 15-minute outage loses no job. The worker's
   * WORKER_MAX_RECEIVE_COUNT must equal it.
   */
  maxReceiveCount: 10,
  visibilityTimeoutSeconds: 60,
  receiveMessageWaitTimeSeconds: 20,
  /** 14 days, the SQS maximum: longer than the source queue's (4 days by default), as the DLQ docs advise. */
  deadLetterRetentionSeconds: 14 * 24 * 3600,
} as const;

export const PROGRESS_QUEUE_SETTINGS = {
  visibilityTimeoutSeconds: 30,
  retentionSeconds: 3600,
} as const;

export interface ProvisionOptions {
  /** Region, endpoints, credentials and, unless `prefix` is given, the resource names (JOBS_* variables). */
  env: Env;
  /** Name everything `localResourceNames(prefix)` instead of reading the names from the env's JOBS_* variables. */
  prefix?: string;
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
  receiveMessageWaitTimeSeconds?: number;
  deadLetterRetentionSeconds?: number;
  /** How long to wait for the table (and its indexes) to become ACTIVE. Default 60 s. */
  tableReadyTimeoutMs?: number;
  /** Progress lines ("created ...", "updated ..."). Silent by default. */
  log?: (line: string) => void;
}

export interface ProvisionedResources {
  region: string;
  names: LocalResourceNames;
  /** The jobs table. */
  table: ProvisionedTable;
  accountsTable: ProvisionedTable;
  rateLimitsTable: ProvisionedTable;
  buckets: { requests: string; outputs: string; images: string };
  queue: { name: string; url: string; arn: string };
  deadLetterQueue: { name: string; url: string; arn: string };
  /** Webhook deliveries (the worker re-sends a failed one with DelaySeconds) and their DLQ. */
  webhookQueue: { name: string; url: string; arn: string };
  webhookDeadLetterQueue: { name: string; url: string; arn: string };
  topics: {
    success: { name: string; arn: string; subscriptionArn: string };
    error: { name: string; arn: string; subscriptionArn: string };
    /** Model progress ("started", steps), subscribed to its own queue (`progressQueue`), not the notifications. */
    progress: { name: string; arn: string; subscriptionArn: string };
  };
  progressQueue: { name: string; url: string; arn: string };
  /** What this run created or changed; empty when everything was already in place. */
  changes: string[];
}

export interface ProvisionedTable {
  name: string;
  arn: string;
  indexes: string[];
  /** For tables with a TTL attribute: `unsupported` where the emulator has no UpdateTimeToLive (dynalite). */
  timeToLive?: 'enabled' | 'unsupported';
}

export class ProvisioningError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProvisioningError';
  }
}

/**
 * Creates the platform's AWS resources idempotently with plain SDK calls, so it works the same against
 * fauxqs + dynalite, LocalStack or an AWS account: the jobs table with its indexes, the accounts and rate-limits
 * tables (with TTL where the service has it), the three buckets, the
 * notifications queue with its DLQ and queue policy, the success/error topics subscribed to the queue, and the
 * webhook delivery queue with its DLQ.
 * A second run changes nothing. It then checks that the env's JOBS_* variables (what the api and worker use)
 * point at what it provisioned, and throws a ProvisioningError naming every difference.
 */
export async function provisionResources(options: ProvisionOptions): Promise<ProvisionedResources> {
  const { env, log = () => undefined } = options;
  const settings = {
    maxReceiveCount: options.maxReceiveCount ?? DEFAULT_QUEUE_SETTINGS.maxReceiveCount,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? DEFAULT_QUEUE_SETTINGS.visibilityTimeoutSeconds,
    receiveMessageWaitTimeSeconds:
      options.receiveMessageWaitTimeSeconds ?? DEFAULT_QUEUE_SETTINGS.receiveMessageWaitTimeSeconds,
    deadLetterRetentionSeconds: options.deadLetterRetentionSeconds ?? DEFAULT_QUEUE_SETTINGS.deadLetterRetentionSeconds,
  };
  const names = options.prefix !== undefined ? localResourceNames(options.prefix) : resourceNamesFromEnv(env);
  const aws = loadAwsConfig(env);
  const clients = {
    dynamodb: createDynamoDbClient(aws),
    s3: createS3Client(aws),
    sqs: createSqsClient(aws),
    sns: new SNSClient(awsClientOptions(aws, 'sns')),
  };
  const changes: string[] = [];
  const changed = (what: string): void => {
    changes.push(what);
    log(what);
  };

  try {
    const tableReadyTimeoutMs = options.tableReadyTimeoutMs ?? 60_000;
    const table = await ensureTable(clients.dynamodb, names.jobsTable, JOBS_TABLE_SCHEMA, tableReadyTimeoutMs, changed);
    const accountsTable = await ensureTable(
      clients.dynamodb,
      names.accountsTable,
      ACCOUNTS_TABLE_SCHEMA,
      tableReadyTimeoutMs,
      changed,
    );
    const rateLimitsTable = await ensureTable(
      clients.dynamodb,
      names.rateLimitsTable,
      RATE_LIMITS_TABLE_SCHEMA,
      tableReadyTimeoutMs,
      changed,
    );
    for (const bucket of [names.requestsBucket, names.outputsBucket, names.imagesBucket]) {
      await ensureBucket(clients.s3, bucket, aws.region, changed);
    }

    const dlq = await ensureQueue(
      clients.sqs,
      names.deadLetterQueueName,
      { MessageRetentionPeriod: String(settings.deadLetterRetentionSeconds) },
      changed,
    );
    const successTopicArn = await ensureTopic(clients.sns, names.successTopicName, changed);
    const errorTopicArn = await ensureTopic(clients.sns, names.errorTopicName, changed);
    const queue = await ensureQueue(
      clients.sqs,
      names.queueName,
      {
        VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
        ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: settings.maxReceiveCount }),
      },
      changed,
    );
    // The policy names the queue's own ARN, known only once the queue exists.
    await convergeQueueAttributes(
      clients.sqs,
      names.queueName,
      queue.url,
      { Policy: JSON.stringify(topicsMaySendPolicy(queue.arn, [successTopicArn, errorTopicArn])) },
      changed,
    );
    const webhookDlq = await ensureQueue(
      clients.sqs,
      names.webhookDeadLetterQueueName,
      { MessageRetentionPeriod: String(settings.deadLetterRetentionSeconds) },
      changed,
    );
    const webhookQueue = await ensureQueue(
      clients.sqs,
      names.webhookQueueName,
      {
        VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
        ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: webhookDlq.arn,
          maxReceiveCount: settings.maxReceiveCount,
        }),
      },
      changed,
    );
    const successSubscriptionArn = await ensureSqsSubscription(clients.sns, successTopicArn, queue.arn, changed);
    const errorSubscriptionArn = await ensureSqsSubscription(clients.sns, errorTopicArn, queue.arn, changed);
    // Progress is frequent and disposable: its own queue, no DLQ (a message that cannot be relayed is dropped),
    // kept an hour at most (a step older than that is of no use).
    const progressTopicArn = await ensureTopic(clients.sns, names.progressTopicName, changed);
    const progressQueue = await ensureQueue(
      clients.sqs,
      names.progressQueueName,
      {
        VisibilityTimeout: String(PROGRESS_QUEUE_SETTINGS.visibilityTimeoutSeconds),
        ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
        MessageRetentionPeriod: String(PROGRESS_QUEUE_SETTINGS.retentionSeconds),
      },
      changed,
    );
    await convergeQueueAttributes(
      clients.sqs,
      names.progressQueueName,
      progressQueue.url,
      { Policy: JSON.stringify(topicsMaySendPolicy(progressQueue.arn, [progressTopicArn])) },
      changed,
    );
    const progressSubscriptionArn = await ensureSqsSubscription(
      clients.sns,
      progressTopicArn,
      progressQueue.arn,
      changed,
    );

    const result: ProvisionedResources = {
      region: aws.region,
      names,
      table,
      accountsTable,
      rateLimitsTable,
      buckets: { requests: names.requestsBucket, outputs: names.outputsBucket, images: names.imagesBucket },
      queue: { name: names.queueName, ...queue },
      deadLetterQueue: { name: names.deadLetterQueueName, ...dlq },
      webhookQueue: { name: names.webhookQueueName, ...webhookQueue },
      webhookDeadLetterQueue: { name: names.webhookDeadLetterQueueName, ...webhookDlq },
      topics: {
        success: { name: names.successTopicName, arn: successTopicArn, subscriptionArn: successSubscriptionArn },
        error: { name: names.errorTopicName, arn: errorTopicArn, subscriptionArn: errorSubscriptionArn },
        progress: { name: names.progressTopicName, arn: progressTopicArn, subscriptionArn: progressSubscriptionArn },
      },
      progressQueue: { name: names.progressQueueName, ...progressQueue },
      changes,
    };
    await checkEnvMatches(env, result, clients.sqs);
    return result;
  } finally {
    for (const client of Object.values(clients)) {
      client.destroy();
    }
  }
}

/** Resource names as the api and worker will see them: from JOBS_* (queue and topic names are read off URL/ARNs). */
export function resourceNamesFromEnv(env: Env): LocalResourceNames {
  const config = loadResourcesConfig(env);
  const queueName = lastPathSegment(config.notificationsQueueUrl);
  const webhookQueueName = lastPathSegment(config.webhookQueueUrl);
  return {
    jobsTable: config.jobsTable,
    accountsTable: config.accountsTable,
    rateLimitsTable: config.rateLimitsTable,
    requestsBucket: config.requestsBucket,
    outputsBucket: config.outputsBucket,
    imagesBucket: config.imagesBucket,
    queueName,
    deadLetterQueueName: config.deadLetterQueueUrl ? lastPathSegment(config.deadLetterQueueUrl) : `${queueName}-dlq`,
    webhookQueueName,
    webhookDeadLetterQueueName: config.webhookDeadLetterQueueUrl
      ? lastPathSegment(config.webhookDeadLetterQueueUrl)
      : `${webhookQueueName}-dlq`,
    successTopicName: arnResourceName(config.successTopicArn),
    errorTopicName: arnResourceName(config.errorTopicArn),
    progressTopicName: config.progressTopicArn
      ? arnResourceName(config.progressTopicArn)
      : `${queueName}-inference-progress`,
    progressQueueName: config.progressQueueUrl ? lastPathSegment(config.progressQueueUrl) : `${queueName}-progress`,
  };
}

function lastPathSegment(url: string): string {
  const segments = new URL(url).pathname.split('/').filter(Boolean);
  const last = segments.at(-1);
  if (!last) {
    throw new ProvisioningError(`cannot read a queue name from ${url}`);
  }
  return last;
}

function arnResourceName(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

// ---------------------------------------------------------------------------------------------------------------
// DynamoDB

function keySchema({ partitionKey, sortKey }: KeyShape): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
  ];
}

function tableIndexes(schema: TableSchema): GlobalSecondaryIndex[] {
  return Object.entries(schema.indexes).map(([IndexName, key]) => ({
    IndexName,
    KeySchema: keySchema(key),
    Projection: { ProjectionType: 'ALL' },
  }));
}

function tableAttributes(schema: TableSchema): AttributeDefinition[] {
  const types = new Map<string, 'S' | 'N'>();
  for (const { partitionKey, sortKey, sortKeyType } of [schema.key, ...Object.values(schema.indexes)]) {
    types.set(partitionKey, 'S');
    if (sortKey) {
      types.set(sortKey, sortKeyType ?? 'S');
    }
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

async function ensureTable(
  client: DynamoDBClient,
  name: string,
  schema: TableSchema,
  timeoutMs: number,
  changed: (what: string) => void,
): Promise<ProvisionedTable> {
  let description = await describeTable(client, name);
  if (!description) {
    const indexes = tableIndexes(schema);
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keySchema(schema.key),
          AttributeDefinitions: tableAttributes(schema),
          ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
        }),
      );
      changed(`created table ${name}`);
    } catch (error) {
      // Someone else created it between our describe and create: fine, it is checked below.
      if (!(error instanceof ResourceInUseException)) {
        throw error;
      }
    }
    description = await describeTable(client, name);
  }
  if (!description) {
    throw new ProvisioningError(`table ${name} was created but cannot be described`);
  }
  const problems = tableSchemaProblems(description, schema);
  if (problems.length > 0) {
    // dynalite cannot add an index to an existing table, and a key change needs a new table anyway.
    throw new ProvisioningError(
      `table ${name} exists with another schema: ${problems.join('; ')}. ` +
        'Delete it (locally: stop make dev and remove .local/dynamodb) and provision again.',
    );
  }
  description = await waitUntilActive(client, name, timeoutMs);
  const timeToLive = schema.ttlAttribute
    ? await ensureTimeToLive(client, name, schema.ttlAttribute, changed)
    : undefined;
  return {
    name,
    arn: description.TableArn ?? '',
    indexes: (description.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName ?? '').sort(),
    ...(timeToLive ? { timeToLive } : {}),
  };
}

/**
 * Turns on TTL for `attribute`. dynalite has no UpdateTimeToLive: there expired items simply stay, which the
 * repositories tolerate (they treat an item past its `expiresAt` as absent, as they must in AWS too, where
 * deletion lags by up to two days).
 */
async function ensureTimeToLive(
  client: DynamoDBClient,
  name: string,
  attribute: string,
  changed: (what: string) => void,
): Promise<ProvisionedTable['timeToLive']> {
  try {
    const current = (await client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
    if (current?.AttributeName === attribute && current.TimeToLiveStatus !== 'DISABLED') {
      return 'enabled';
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
    changed(`enabled TTL on ${name}.${attribute}`);
    return 'enabled';
  } catch (error) {
    if (error instanceof Error && error.name === 'UnknownOperationException') {
      return 'unsupported';
    }
    throw error;
  }
}

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return undefined;
    }
    throw error;
  }
}

function keySchemaText(schema: KeySchemaElement[] | undefined): string {
  return (schema ?? []).map((key) => `${key.AttributeName}:${key.KeyType}`).join(',');
}

function tableSchemaProblems(table: TableDescription, schema: TableSchema): string[] {
  const problems: string[] = [];
  const wantedKey = keySchema(schema.key);
  if (keySchemaText(table.KeySchema) !== keySchemaText(wantedKey)) {
    problems.push(`key is ${keySchemaText(table.KeySchema)}, expected ${keySchemaText(wantedKey)}`);
  }
  const existing = new Map((table.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
  for (const wanted of tableIndexes(schema)) {
    const found = existing.get(wanted.IndexName);
    if (!found) {
      problems.push(`index ${wanted.IndexName} is missing`);
    } else if (keySchemaText(found.KeySchema) !== keySchemaText(wanted.KeySchema)) {
      problems.push(`index ${wanted.IndexName} has key ${keySchemaText(found.KeySchema)}`);
    } else if (found.Projection?.ProjectionType !== 'ALL') {
      problems.push(
        `index ${wanted.IndexName} projects ${found.Projection?.ProjectionType ?? 'nothing'}, expected ALL`,
      );
    }
  }
  return problems;
}

async function waitUntilActive(client: DynamoDBClient, name: string, timeoutMs: number): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describeTable(client, name);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) {
      return table;
    }
    if (Date.now() > deadline) {
      throw new ProvisioningError(
        `table ${name} is still ${table?.TableStatus ?? 'missing'} after ${timeoutMs} ms ` +
          '(a dynalite killed while creating a table leaves it CREATING forever: remove .local/dynamodb)',
      );
    }
    await delay(200);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------------------
// S3

async function ensureBucket(client: S3Client, name: string, region: string, changed: (what: string) => void) {
  try {
    await client.send(new HeadBucketCommand({ Bucket: name }));
    return;
  } catch (error) {
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    if (status === 403) {
      throw new ProvisioningError(`bucket ${name} exists but belongs to someone else (403)`, { cause: error });
    }
    if (status !== 404) {
      throw error;
    }
  }
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket: name,
        // us-east-1 is the one region that rejects an explicit LocationConstraint.
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
    changed(`created bucket ${name}`);
  } catch (error) {
    if (error instanceof S3ServiceException && error.name === 'BucketAlreadyOwnedByYou') {
      return;
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SQS

async function ensureQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
  changed: (what: string) => void,
): Promise<{ url: string; arn: string }> {
  let url: string | undefined;
  try {
    url = (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (!(error instanceof QueueDoesNotExist)) {
      throw error;
    }
  }
  if (url) {
    // CreateQueue on an existing queue fails when any attribute differs: converge them one by one instead.
    await convergeQueueAttributes(client, name, url, attributes, changed);
  } else {
    url = (await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
    changed(`created queue ${name}`);
  }
  if (!url) {
    throw new ProvisioningError(`queue ${name} has no URL`);
  }
  const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn;
  if (!arn) {
    throw new ProvisioningError(`queue ${name} has no ARN`);
  }
  return { url, arn };
}

async function convergeQueueAttributes(
  client: SQSClient,
  name: string,
  url: string,
  wanted: Record<string, string>,
  changed: (what: string) => void,
): Promise<void> {
  const current: Record<string, string | undefined> =
    (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
  const differing = Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => !sameAttributeValue(current[key], value)),
  );
  if (Object.keys(differing).length > 0) {
    await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: differing }));
    changed(`set ${Object.keys(differing).join(', ')} on queue ${name}`);
  }
}

/** JSON attributes (RedrivePolicy, Policy) may come back reformatted, and maxReceiveCount as "5" or 5. */
function sameAttributeValue(current: string | undefined, wanted: string): boolean {
  if (current === wanted) {
    return true;
  }
  if (current === undefined || !wanted.startsWith('{')) {
    return false;
  }
  try {
    return canonicalJson(JSON.parse(current)) === canonicalJson(JSON.parse(wanted));
  } catch {
    return false;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  // Numbers and numeric strings compare equal ("maxReceiveCount": "5" vs 5).
  return typeof value === 'number' ? JSON.stringify(String(value)) : JSON.stringify(value);
}

/** sns-sqs-as-subscriber: the queue must let the topics send, each restricted by its ARN (aws:SourceArn). */
function topicsMaySendPolicy(queueArn: string, topicArns: string[]): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowInferenceNotificationTopics',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArns } },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// SNS

async function ensureTopic(client: SNSClient, name: string, changed: (what: string) => void): Promise<string> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListTopicsCommand(nextToken ? { NextToken: nextToken } : {}));
    const found = page.Topics?.find((topic) => topic.TopicArn && arnResourceName(topic.TopicArn) === name);
    if (found?.TopicArn) {
      return found.TopicArn;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  const arn = (await client.send(new CreateTopicCommand({ Name: name }))).TopicArn;
  if (!arn) {
    throw new ProvisioningError(`topic ${name} has no ARN`);
  }
  changed(`created topic ${name}`);
  return arn;
}

async function ensureSqsSubscription(
  client: SNSClient,
  topicArn: string,
  queueArn: string,
  changed: (what: string) => void,
): Promise<string> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    const found = page.Subscriptions?.find(
      (subscription) => subscription.Protocol === 'sqs' && subscription.Endpoint === queueArn,
    );
    if (found?.SubscriptionArn && found.SubscriptionArn !== 'PendingConfirmation') {
      const attributes = (
        await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: found.SubscriptionArn }))
      ).Attributes;
      // The worker expects the standard SNS envelope (reference/aws.md 2.2), not raw delivery.
      if (attributes?.RawMessageDelivery === 'true') {
        await client.send(
          new SetSubscriptionAttributesCommand({
            SubscriptionArn: found.SubscriptionArn,
            AttributeName: 'RawMessageDelivery',
            AttributeValue: 'false',
          }),
        );
        changed(`turned off raw delivery on ${found.SubscriptionArn}`);
      }
      return found.SubscriptionArn;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  const arn = (
    await client.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        Attributes: { RawMessageDelivery: 'false' },
        ReturnSubscriptionArn: true,
      }),
    )
  ).SubscriptionArn;
  if (!arn) {
    throw new ProvisioningError(`subscribing ${queueArn} to ${topicArn} returned no ARN`);
  }
  changed(`subscribed ${arnResourceName(queueArn)} to ${arnResourceName(topicArn)}`);
  return arn;
}

// ---------------------------------------------------------------------------------------------------------------
// What the api and worker will be told

/**
 * Compares the env's JOBS_* variables with what was provisioned. Queue URLs are compared by path
 * (`/<account>/<name>`): emulators answer with their own host (fauxqs: `sqs.<region>.localhost`), and route
 * by the path; the env's URL is then actually used once, so a form the service rejects fails here, not in the worker.
 */
async function checkEnvMatches(env: Env, provisioned: ProvisionedResources, sqs: SQSClient): Promise<void> {
  const problems: string[] = [];
  const expectEqual = (variable: string, actual: string): void => {
    const predicted = env[variable];
    if (predicted && predicted !== actual) {
      problems.push(`${variable}=${predicted} but provisioned ${actual}`);
    }
  };
  expectEqual('JOBS_TABLE', provisioned.table.name);
  expectEqual('JOBS_ACCOUNTS_TABLE', provisioned.accountsTable.name);
  expectEqual('JOBS_RATE_LIMITS_TABLE', provisioned.rateLimitsTable.name);
  expectEqual('JOBS_REQUESTS_BUCKET', provisioned.buckets.requests);
  expectEqual('JOBS_OUTPUTS_BUCKET', provisioned.buckets.outputs);
  expectEqual('JOBS_IMAGES_BUCKET', provisioned.buckets.images);
  expectEqual('JOBS_SUCCESS_TOPIC_ARN', provisioned.topics.success.arn);
  expectEqual('JOBS_ERROR_TOPIC_ARN', provisioned.topics.error.arn);
  expectEqual('JOBS_PROGRESS_TOPIC_ARN', provisioned.topics.progress.arn);
  for (const [variable, queue] of [
    ['JOBS_QUEUE_URL', provisioned.queue],
    ['JOBS_DLQ_URL', provisioned.deadLetterQueue],
    ['JOBS_PROGRESS_QUEUE_URL', provisioned.progressQueue],
    ['JOBS_WEBHOOK_QUEUE_URL', provisioned.webhookQueue],
    ['JOBS_WEBHOOK_DLQ_URL', provisioned.webhookDeadLetterQueue],
  ] as const) {
    const predicted = env[variable];
    if (!predicted) {
      continue;
    }
    if (new URL(predicted).pathname !== new URL(queue.url).pathname) {
      problems.push(`${variable}=${predicted} but provisioned ${queue.url}`);
      continue;
    }
    try {
      const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: predicted, AttributeNames: ['QueueArn'] })))
        .Attributes?.QueueArn;
      if (arn !== queue.arn) {
        problems.push(`${variable}=${predicted} resolves to ${arn ?? 'nothing'}, not ${queue.arn}`);
      }
    } catch (error) {
      problems.push(
        `${variable}=${predicted} is not usable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ProvisioningError(
      `the environment does not match the provisioned resources:\n  - ${problems.join('\n  - ')}`,
    );
  }
}
