// npm run provision [-- --prefix <name>]: creates the platform's AWS resources, idempotently, in whatever the
// environment points at (fauxqs + dynalite under `make dev`, LocalStack under docker-compose).
//
// Every variable missing from the environment falls back to what `make dev` uses (localEnvironment with the default
// ports), except the endpoints: set any AWS_ENDPOINT_URL* variable and none of the local endpoints is assumed, so
// AWS_ENDPOINT_URL=http://localhost:4566 alone sends every service to LocalStack. Real AWS accounts are Terraform's.
import { parseArgs } from 'node:util';
import { DEFAULT_LOCAL_PORTS, type Env, loadAwsConfig, localEnvironment, sqsQueueUrl } from '#libs/config';
import { provisionResources, resourceNamesFromEnv } from '#libs/local-stack';

const JOBS_VARIABLES = [
  'JOBS_TABLE',
  'JOBS_ACCOUNTS_TABLE',
  'JOBS_RATE_LIMITS_TABLE',
  'JOBS_REQUESTS_BUCKET',
  'JOBS_OUTPUTS_BUCKET',
  'JOBS_IMAGES_BUCKET',
  'JOBS_QUEUE_URL',
  'JOBS_DLQ_URL',
  'JOBS_WEBHOOK_QUEUE_URL',
  'JOBS_WEBHOOK_DLQ_URL',
  'JOBS_SUCCESS_TOPIC_ARN',
  'JOBS_ERROR_TOPIC_ARN',
] as const;

function environment(processEnv: Env, prefix: string | undefined): Env {
  const local = localEnvironment({ ports: DEFAULT_LOCAL_PORTS, ...(prefix ? { prefix } : {}) });
  const endpointsGiven = Object.keys(processEnv).some((key) => key.startsWith('AWS_ENDPOINT_URL') && processEnv[key]);
  const defaults = Object.fromEntries(
    Object.entries(local).filter(([key]) => !(endpointsGiven && key.startsWith('AWS_ENDPOINT_URL'))),
  );
  const merged: Env = { ...defaults, ...processEnv };
  if (prefix) {
    // --prefix names everything; stale JOBS_* variables from the shell must not contradict it.
    for (const key of JOBS_VARIABLES) {
      merged[key] = local[key];
    }
  }
  const sqsEndpoint = loadAwsConfig(merged).endpoints.sqs;
  if (endpointsGiven && sqsEndpoint) {
    // Default queue URLs follow the SQS endpoint given (e.g. http://localstack:4566), not make dev's port.
    const names = resourceNamesFromEnv(merged);
    merged.JOBS_QUEUE_URL = processEnv.JOBS_QUEUE_URL || sqsQueueUrl(sqsEndpoint, names.queueName);
    merged.JOBS_DLQ_URL = processEnv.JOBS_DLQ_URL || sqsQueueUrl(sqsEndpoint, names.deadLetterQueueName);
    merged.JOBS_WEBHOOK_QUEUE_URL =
      processEnv.JOBS_WEBHOOK_QUEUE_URL || sqsQueueUrl(sqsEndpoint, names.webhookQueueName);
    merged.JOBS_WEBHOOK_DLQ_URL =
      processEnv.JOBS_WEBHOOK_DLQ_URL || sqsQueueUrl(sqsEndpoint, names.webhookDeadLetterQueueName);
  }
  return merged;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { prefix: { type: 'string' } } });
  const env = environment(process.env, values.prefix);
  const endpoints = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB']
    .filter((key) => env[key])
    .map((key) => `${key}=${env[key]}`)
    .join(' ');
  console.error(`provisioning in ${endpoints || 'the SDK default endpoints'} (region ${env.AWS_REGION ?? 'default'})`);
  const provisioned = await provisionResources({ env, log: (line) => console.error(`  ${line}`) });
  if (provisioned.changes.length === 0) {
    console.error('  everything was already in place');
  }
  // What the api and worker need, ready for an .env file or docker-compose.
  const lines = {
    JOBS_TABLE: provisioned.table.name,
    JOBS_ACCOUNTS_TABLE: provisioned.accountsTable.name,
    JOBS_RATE_LIMITS_TABLE: provisioned.rateLimitsTable.name,
    JOBS_REQUESTS_BUCKET: provisioned.buckets.requests,
    JOBS_OUTPUTS_BUCKET: provisioned.buckets.outputs,
    JOBS_IMAGES_BUCKET: provisioned.buckets.images,
    JOBS_QUEUE_URL: env.JOBS_QUEUE_URL ?? provisioned.queue.url,
    JOBS_DLQ_URL: env.JOBS_DLQ_URL ?? provisioned.deadLetterQueue.url,
    JOBS_WEBHOOK_QUEUE_URL: env.JOBS_WEBHOOK_QUEUE_URL ?? provisioned.webhookQueue.url,
    JOBS_WEBHOOK_DLQ_URL: env.JOBS_WEBHOOK_DLQ_URL ?? provisioned.webhookDeadLetterQueue.url,
    JOBS_SUCCESS_TOPIC_ARN: provisioned.topics.success.arn,
    JOBS_ERROR_TOPIC_ARN: provisioned.topics.error.arn,
  };
  for (const [key, value] of Object.entries(lines)) {
    console.log(`${key}=${value}`);
  }
}

main().catch((error: unknown) => {
  console.error(`provision failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && 'code' in error && error.code === 'ECONNREFUSED') {
    console.error('is the emulator running? (make dev starts fauxqs and dynalite)');
  }
  process.exitCode = 1;
});
