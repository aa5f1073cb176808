/**
 * The AWS calls the platform makes for one job, issued with the plain SDK clients and nothing else: no framework,
 * no validation, no logging, no metrics. The baseline server answers POST / GET with `submit` / `read`, and the
 * ceiling script runs `submit` then `finalize` for every job; each call has the platform's shape and size (the same
 * tables, items, conditions and objects), so the gap between the platform and these is the platform's own cost.
 *
 * Per job, as the api and the worker make them today (count them again when the platform's calls change), with the
 * platform's own expressions, so that the items grow as the platform's do (the in-flight set and the usage items'
 * `holds` maps hold one entry per job in flight):
 * - submit (api): rate limits 2 × UpdateItem (requests per minute and jobs per day, in their open windows), the job
 *   id added to the owner's in-flight set (Update, ALL_NEW), the budget holds on the user's usage item and one of the
 *   platform's usage shards (2 × Update), the request object PutObject, the job Put (naming that shard),
 *   InvokeEndpointAsync, the invocation recorded (Update).
 * - read (api): rate limit 1 × UpdateItem, the job Get, each image's URL presigned.
 * - progress (worker): the model's "started" message: the job Get, Update (RUNNING), DeleteMessage.
 * - finalize (worker): GetObject of the output, PutObject of each image, the job Update (SUCCEEDED), model stats
 *   Get + conditional Put (again when another worker wrote first, at most three times), the in-flight set Update,
 *   each usage item's hold settled (Get + Update for the user's and for the platform shard the job recorded, the two
 *   side by side), the job Update (settled), DeleteMessage.
 */
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { InvokeEndpointAsyncCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DeleteMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { platformShardOf, smoothed } from '#libs/aws';
import type { ResourcesConfig } from '#libs/config';

export interface BareClients {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  s3: S3Client;
  sageMaker: SageMakerRuntimeClient;
  sqs: SQSClient;
}

export type BareResources = Pick<
  ResourcesConfig,
  'jobsTable' | 'accountsTable' | 'rateLimitsTable' | 'requestsBucket' | 'imagesBucket'
> & { endpointName: string };

export interface JobRequest {
  prompt: string;
  width: number;
  height: number;
}

/** The baseline's stand-in for a token: which user a request is for (it verifies nothing). */
export const BASELINE_OWNER_HEADER = 'x-bench-owner';

const month = (): string => new Date().toISOString().slice(0, 7);

/** The rate limiter's write for a key whose window is open (libs/aws RateLimiter: one UpdateItem, the increment). */
async function consumeRateLimit(clients: BareClients, table: string, key: string): Promise<void> {
  await clients.dynamodb
    .send(
      new UpdateItemCommand({
        TableName: table,
        Key: { key: { S: key } },
        UpdateExpression: 'SET points = points + :new_points',
        ConditionExpression: 'expire > :where_expire',
        ExpressionAttributeValues: { ':new_points': { N: '1' }, ':where_expire': { N: String(Date.now() / 1000) } },
        ReturnValues: 'ALL_NEW',
      }),
    )
    .catch(async () => {
      // no window yet: open one
      await clients.dynamodb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { key: { S: key } },
          UpdateExpression: 'SET points = :one, expire = :expire',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':expire': { N: String((Date.now() + 60_000) / 1000) } },
          ReturnValues: 'ALL_NEW',
        }),
      );
    });
}

/** The job's slot in flight: its id added to the owner's set, while the set has room (libs/quotas InFlightRepository). */
async function takeSlot(clients: BareClients, table: string, owner: string, jobId: string): Promise<void> {
  await clients.documents.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: 'inflight', sk: `user#${owner}` },
      UpdateExpression: 'ADD jobIds :one',
      ConditionExpression: 'attribute_not_exists(jobIds) OR size(jobIds) < :max OR contains(jobIds, :id)',
      ExpressionAttributeValues: { ':one': new Set([jobId]), ':max': 10_000_000, ':id': jobId },
      ReturnValues: 'ALL_NEW',
    }),
  );
}

async function releaseSlot(clients: BareClients, table: string, owner: string, jobId: string): Promise<void> {
  await clients.documents.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: 'inflight', sk: `user#${owner}` },
      UpdateExpression: 'DELETE jobIds :ids',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':ids': new Set([jobId]) },
    }),
  );
}

const usageKey = (sk: string) => ({ pk: `usage#${month()}`, sk });
const HOLD_MICROS = 1000;

/** The job's budget hold on a usage item, while the budget has room (libs/aws UsageLedger.reserve). */
async function hold(clients: BareClients, table: string, sk: string, jobId: string): Promise<void> {
  const update = () =>
    clients.documents.send(
      new UpdateCommand({
        TableName: table,
        Key: usageKey(sk),
        UpdateExpression: 'ADD committedMicros :micros SET holds.#job = :micros',
        ConditionExpression:
          'attribute_not_exists(holds.#job) AND (attribute_not_exists(committedMicros) OR committedMicros <= :headroom)',
        ExpressionAttributeNames: { '#job': jobId },
        ExpressionAttributeValues: { ':micros': HOLD_MICROS, ':headroom': 10_000_000_000_000 },
      }),
    );
  await update().catch(async (error: unknown) => {
    if (!/document path/i.test((error as Error).message)) {
      throw error;
    }
    // the month's first hold: the map is created first (as UsageLedger does on the same ValidationException)
    await clients.documents.send(
      new UpdateCommand({
        TableName: table,
        Key: usageKey(sk),
        UpdateExpression: 'SET holds = if_not_exists(holds, :empty)',
        ExpressionAttributeValues: { ':empty': {} },
      }),
    );
    await update();
  });
}

/** A platform usage shard's sort key (`platform#07`). */
const platformShardKey = (shard: number): string => `platform#${String(shard).padStart(2, '0')}`;

/**
 * The hold replaced by the job's cost (libs/aws UsageLedger.settle): the item read (for the platform, the shard the
 * job recorded), then one conditional write.
 */
async function settle(clients: BareClients, table: string, sk: string, jobId: string): Promise<void> {
  const { Item: item } = await clients.documents.send(
    new GetCommand({ TableName: table, Key: usageKey(sk), ConsistentRead: true }),
  );
  const held = (item?.holds as Record<string, number> | undefined)?.[jobId];
  if (held === undefined) {
    // no hold to settle: UsageLedger answers 'not-held' and the worker goes on
    return;
  }
  await clients.documents
    .send(
      new UpdateCommand({
        TableName: table,
        Key: usageKey(sk),
        UpdateExpression: 'REMOVE holds.#job ADD committedMicros :delta, #count :one, gpuMs :gpuMs, costMicros :cost',
        ConditionExpression: 'holds.#job = :held',
        ExpressionAttributeNames: { '#job': jobId, '#count': 'jobs_SUCCEEDED' },
        ExpressionAttributeValues: { ':held': held, ':delta': 0, ':one': 1, ':gpuMs': 1, ':cost': held },
      }),
    )
    .catch((error: unknown) => {
      // settled meanwhile: 'not-held' too
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw error;
      }
    });
}

const STATS_KEY = { pk: 'modelstats#stable-diffusion-xl', sk: 'stats' };
const STATS_ATTEMPTS = 3;

/**
 * The model's inference sample (libs/aws ModelStatsRepository.record): a consistent read, then a put guarded by the
 * sample count read; when another worker wrote first, read and try again, at most three times.
 */
async function recordInferenceSample(clients: BareClients, table: string): Promise<void> {
  for (let attempt = 0; attempt < STATS_ATTEMPTS; attempt += 1) {
    const { Item: stats } = await clients.documents.send(
      new GetCommand({ TableName: table, Key: STATS_KEY, ConsistentRead: true }),
    );
    const samples = stats?.inferenceSamples as number | undefined;
    const factor = stats?.inferenceFactor as number | undefined;
    try {
      await clients.documents.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...STATS_KEY,
            inferenceFactor: smoothed(factor, samples ?? 0, 1),
            inferenceSamples: (samples ?? 0) + 1,
          },
          ...(samples === undefined
            ? { ConditionExpression: 'attribute_not_exists(inferenceSamples)' }
            : {
                ConditionExpression: 'inferenceSamples = :samples',
                ExpressionAttributeValues: { ':samples': samples },
              }),
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw error;
      }
    }
  }
}

/** POST /v1/jobs's calls; resolves with the job id once the invocation is recorded. */
export async function submit(clients: BareClients, resources: BareResources, owner: string, request: JobRequest) {
  const jobId = ulid();
  const createdAt = new Date().toISOString();
  for (const limit of ['requests-per-minute', 'jobs-per-day']) {
    await consumeRateLimit(clients, resources.rateLimitsTable, `${limit}:${owner}`);
  }
  await takeSlot(clients, resources.accountsTable, owner, jobId);
  await hold(clients, resources.accountsTable, `user#${owner}`, jobId);
  await hold(clients, resources.accountsTable, platformShardKey(platformShardOf(jobId)), jobId);
  const requestKey = `requests/${jobId}.json`;
  const payload = {
    text_prompts: [{ text: request.prompt }],
    width: request.width,
    height: request.height,
    cfg_scale: 7,
    steps: 30,
    seed: 42,
  };
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: resources.requestsBucket,
      Key: requestKey,
      Body: JSON.stringify(payload),
      ContentType: 'application/json',
    }),
  );
  await clients.documents.send(
    new PutCommand({
      TableName: resources.jobsTable,
      Item: {
        jobId,
        ownerId: owner,
        status: 'QUEUED',
        createdAt,
        updatedAt: createdAt,
        version: 1,
        endpointName: resources.endpointName,
        inferenceId: jobId,
        params: {
          ...request,
          modelId: 'stable-diffusion-xl',
          steps: 30,
          quality: 'standard',
          guidanceScale: 7,
          seed: 42,
          numImages: 1,
          outputFormat: 'png',
        },
        requestLocation: `s3://${resources.requestsBucket}/${requestKey}`,
        images: [],
        timings: { submittedAt: createdAt },
        timeoutSeconds: 900,
        // the keys of the platform's six indexes, so the emulator maintains the same indexes per write
        ownerStatus: `${owner}#QUEUED`,
        activeShard: `${jobId.slice(-1)}`,
        activeEndpoint: resources.endpointName,
        expiryShard: `${jobId.slice(-1)}`,
        deadlineAt: new Date(Date.now() + 3_600_000).toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + 30 * 86_400,
        // the shard that took the platform's hold, where the settlement finds it
        usageShard: platformShardOf(jobId),
      },
      ConditionExpression: 'attribute_not_exists(jobId)',
    }),
  );
  const accepted = await clients.sageMaker.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: resources.endpointName,
      InputLocation: `s3://${resources.requestsBucket}/${requestKey}`,
      ContentType: 'application/json',
      InferenceId: jobId,
    }),
  );
  const at = new Date().toISOString();
  await clients.documents
    .send(
      new UpdateCommand({
        TableName: resources.jobsTable,
        Key: { jobId },
        UpdateExpression:
          'SET #submission = :submission, #updatedAt = :at, #timings.#invokedAt = :at, #outputLocation = :outputLocation' +
          `${accepted.FailureLocation ? ', #failureLocation = :failureLocation' : ''} ADD #version :versionStep`,
        // the model may already have started (or finished) it: then there is nothing to record
        ConditionExpression: 'attribute_exists(jobId) AND #status IN (:in0, :in1)',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#submission': 'submission',
          '#updatedAt': 'updatedAt',
          '#timings': 'timings',
          '#invokedAt': 'invokedAt',
          '#outputLocation': 'outputLocation',
          '#version': 'version',
          ...(accepted.FailureLocation ? { '#failureLocation': 'failureLocation' } : {}),
        },
        ExpressionAttributeValues: {
          ':submission': 'confirmed',
          ':at': at,
          ':outputLocation': accepted.OutputLocation,
          ':versionStep': 1,
          ':in0': 'QUEUED',
          ':in1': 'RUNNING',
          ...(accepted.FailureLocation ? { ':failureLocation': accepted.FailureLocation } : {}),
        },
        // the write's version tells whether another write came first (JobRepository.recordInvocation)
        ReturnValues: 'UPDATED_NEW',
      }),
    )
    .catch(() => undefined);
  return { jobId, status: 'QUEUED', links: { self: `/v1/jobs/${jobId}` } };
}

/** GET /v1/jobs/{id}'s calls. */
export async function read(clients: BareClients, resources: BareResources, owner: string, jobId: string) {
  await consumeRateLimit(clients, resources.rateLimitsTable, `requests-per-minute:${owner}`);
  const { Item: job } = await clients.documents.send(
    new GetCommand({ TableName: resources.jobsTable, Key: { jobId } }),
  );
  if (!job || job.ownerId !== owner) {
    return undefined;
  }
  const images = (job.images ?? []) as Array<{ key: string }>;
  const urls = await Promise.all(
    images.map((image) =>
      getSignedUrl(clients.s3, new GetObjectCommand({ Bucket: resources.imagesBucket, Key: image.key }), {
        expiresIn: 3600,
      }),
    ),
  );
  return { ...job, images: images.map((image, index) => ({ ...image, url: urls[index] })) };
}

/** The worker's calls for a "started" progress message. */
export async function markRunning(
  clients: BareClients,
  resources: BareResources,
  owner: string,
  jobId: string,
  queueUrl: string,
  receiptHandle: string,
): Promise<void> {
  // the message names no owner: the job is read first (the worker's ProgressHandler)
  await clients.documents.send(
    new GetCommand({ TableName: resources.jobsTable, Key: { jobId }, ConsistentRead: true }),
  );
  const at = new Date().toISOString();
  await clients.documents
    .send(
      new UpdateCommand({
        TableName: resources.jobsTable,
        Key: { jobId },
        UpdateExpression:
          'SET #status = :running, #ownerStatus = :ownerStatus, #timings.#startedAt = :startedAt, ' +
          '#updatedAt = :updatedAt ADD #version :versionStep',
        ConditionExpression: 'attribute_exists(jobId) AND #status IN (:in0)',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#ownerStatus': 'ownerStatus',
          '#timings': 'timings',
          '#startedAt': 'startedAt',
          '#updatedAt': 'updatedAt',
          '#version': 'version',
        },
        ExpressionAttributeValues: {
          ':running': 'RUNNING',
          ':ownerStatus': `${owner}#RUNNING`,
          ':startedAt': at,
          ':updatedAt': at,
          ':versionStep': 1,
          ':in0': 'QUEUED',
        },
        // the worker has the job it read: only what the write wrote comes back (JobRepository.markStarted)
        ReturnValues: 'UPDATED_NEW',
      }),
    )
    .catch(() => undefined); // already final: the progress came late
  await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
}

function s3Location(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) {
    throw new Error(`not an S3 URI: ${uri}`);
  }
  return { bucket: match[1]!, key: match[2]! };
}

/** The worker's calls for a success notification; resolves when the job is SUCCEEDED and settled. */
export async function finalize(
  clients: BareClients,
  resources: BareResources,
  notification: { inferenceId: string; outputLocation: string },
  queueUrl: string,
  receiptHandle: string,
): Promise<void> {
  const jobId = notification.inferenceId;
  const output = s3Location(notification.outputLocation);
  const object = await clients.s3.send(new GetObjectCommand({ Bucket: output.bucket, Key: output.key }));
  // the default model's answer (JumpStart SDXL): one base64 image
  const body = JSON.parse(await object.Body!.transformToString()) as { generated_image: string };
  const { Item: job } = await clients.documents.send(
    new GetCommand({ TableName: resources.jobsTable, Key: { jobId } }),
  );
  const owner = String(job?.ownerId);
  const images = await Promise.all(
    [body.generated_image].map(async (base64, index) => {
      const key = `images/${owner}/${jobId}/${index}.png`;
      const bytes = Buffer.from(base64, 'base64');
      await clients.s3.send(
        new PutObjectCommand({ Bucket: resources.imagesBucket, Key: key, Body: bytes, ContentType: 'image/png' }),
      );
      return { key, bytes: bytes.length, format: 'png' };
    }),
  );
  const now = new Date().toISOString();
  // JobRepository.transition's write: each attribute set whole, the active-only key removed, only what it wrote back
  const set = {
    images,
    imageOutcomes: ['ok'],
    updatedAt: now,
    timings: { ...(job?.timings as object), finalizedAt: now },
    cost: { gpuSeconds: 0, usd: 0 },
  };
  const assigned = Object.entries(set);
  await clients.documents.send(
    new UpdateCommand({
      TableName: resources.jobsTable,
      Key: { jobId },
      UpdateExpression:
        `SET #status = :to, #ownerStatus = :ownerStatus, ${assigned.map((_, i) => `#a${i} = :a${i}`).join(', ')} ` +
        'ADD #version :versionStep REMOVE #r0',
      ConditionExpression: 'attribute_exists(jobId) AND #status IN (:in0, :in1)',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#ownerStatus': 'ownerStatus',
        '#version': 'version',
        '#r0': 'activeEndpoint',
        ...Object.fromEntries(assigned.map(([name], i) => [`#a${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':to': 'SUCCEEDED',
        ':ownerStatus': `${owner}#SUCCEEDED`,
        ':versionStep': 1,
        ':in0': 'QUEUED',
        ':in1': 'RUNNING',
        ...Object.fromEntries(assigned.map(([, value], i) => [`:a${i}`, value])),
      },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  await recordInferenceSample(clients, resources.accountsTable);
  await releaseSlot(clients, resources.accountsTable, owner, jobId);
  if (typeof job?.usageShard !== 'number') {
    throw new Error(`job ${jobId} names no usage shard`);
  }
  await Promise.all(
    [`user#${owner}`, platformShardKey(job.usageShard)].map((sk) =>
      settle(clients, resources.accountsTable, sk, jobId),
    ),
  );
  await clients.documents.send(
    new UpdateCommand({
      TableName: resources.jobsTable,
      Key: { jobId },
      UpdateExpression: 'REMOVE activeShard',
    }),
  );
  await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
}
