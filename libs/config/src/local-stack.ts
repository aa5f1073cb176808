import type { Env } from './env.js';

/** The local platform's ports (DESIGN.md section 1). Tests pass their own free ports. */
export interface LocalPorts {
  api: number;
  web: number;
  fauxqs: number;
  dynalite: number;
  stub: number;
  idp: number;
  /** The worker's health endpoint (GET /health/live, /health/ready) and its metrics (GET /metrics). */
  workerHealth: number;
  /** The api's metrics (GET /metrics), off the api port. */
  apiMetrics: number;
}

export const DEFAULT_LOCAL_PORTS: LocalPorts = {
  api: 3000,
  web: 5173,
  fauxqs: 4566,
  dynalite: 4567,
  stub: 8080,
  idp: 9000,
  workerHealth: 3001,
  apiMetrics: 3002,
};

/** fauxqs, LocalStack and dynalite all use this account id in ARNs and queue URLs. */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CLIENT_ID = 'imggen-local';
export const LOCAL_HOST = '127.0.0.1';

export interface LocalResourceNames {
  jobsTable: string;
  accountsTable: string;
  rateLimitsTable: string;
  requestsBucket: string;
  outputsBucket: string;
  imagesBucket: string;
  queueName: string;
  deadLetterQueueName: string;
  webhookQueueName: string;
  webhookDeadLetterQueueName: string;
  successTopicName: string;
  errorTopicName: string;
  progressTopicName: string;
  progressQueueName: string;
}

export function localResourceNames(prefix = 'imggen-local'): LocalResourceNames {
  return {
    jobsTable: `${prefix}-jobs`,
    accountsTable: `${prefix}-accounts`,
    rateLimitsTable: `${prefix}-rate-limits`,
    requestsBucket: `${prefix}-requests`,
    outputsBucket: `${prefix}-outputs`,
    imagesBucket: `${prefix}-images`,
    queueName: `${prefix}-notifications`,
    deadLetterQueueName: `${prefix}-notifications-dlq`,
    webhookQueueName: `${prefix}-webhooks`,
    webhookDeadLetterQueueName: `${prefix}-webhooks-dlq`,
    successTopicName: `${prefix}-inference-success`,
    errorTopicName: `${prefix}-inference-error`,
    progressTopicName: `${prefix}-inference-progress`,
    progressQueueName: `${prefix}-progress`,
  };
}

export function snsTopicArn(name: string, region = LOCAL_REGION, accountId = LOCAL_ACCOUNT_ID): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

export function sqsQueueArn(name: string, region = LOCAL_REGION, accountId = LOCAL_ACCOUNT_ID): string {
  return `arn:aws:sqs:${region}:${accountId}:${name}`;
}

export function sqsQueueUrl(endpoint: string, name: string, accountId = LOCAL_ACCOUNT_ID): string {
  return `${endpoint}/${accountId}/${name}`;
}

export interface LocalEnvironmentOptions {
  ports: LocalPorts;
  prefix?: string;
  /** `local` for `make dev`, `test` for the test suites. */
  environment?: 'local' | 'test';
}

/**
 * Every variable the local processes (api, worker, stub, web, dev identity provider) need, pointing the real
 * AWS SDK clients at the emulators through the SDK's standard AWS_ENDPOINT_URL_* variables.
 */
export function localEnvironment({ ports, prefix, environment = 'local' }: LocalEnvironmentOptions): Env {
  const names = localResourceNames(prefix);
  const fauxqs = `http://${LOCAL_HOST}:${ports.fauxqs}`;
  const idp = `http://${LOCAL_HOST}:${ports.idp}`;
  return {
    APP_ENV: environment,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL: fauxqs,
    AWS_ENDPOINT_URL_DYNAMODB: `http://${LOCAL_HOST}:${ports.dynalite}`,
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: `http://${LOCAL_HOST}:${ports.stub}`,
    AWS_ENDPOINT_URL_SAGEMAKER: `http://${LOCAL_HOST}:${ports.stub}`,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    JOBS_TABLE: names.jobsTable,
    JOBS_ACCOUNTS_TABLE: names.accountsTable,
    JOBS_RATE_LIMITS_TABLE: names.rateLimitsTable,
    JOBS_REQUESTS_BUCKET: names.requestsBucket,
    JOBS_OUTPUTS_BUCKET: names.outputsBucket,
    JOBS_IMAGES_BUCKET: names.imagesBucket,
    JOBS_QUEUE_URL: sqsQueueUrl(fauxqs, names.queueName),
    JOBS_DLQ_URL: sqsQueueUrl(fauxqs, names.deadLetterQueueName),
    JOBS_WEBHOOK_QUEUE_URL: sqsQueueUrl(fauxqs, names.webhookQueueName),
    JOBS_WEBHOOK_DLQ_URL: sqsQueueUrl(fauxqs, names.webhookDeadLetterQueueName),
    // local receivers (a script on 127.0.0.1) may get webhooks; refused when APP_ENV=aws
    WEBHOOKS_ALLOW_LOOPBACK: 'true',
    JOBS_SUCCESS_TOPIC_ARN: snsTopicArn(names.successTopicName),
    JOBS_ERROR_TOPIC_ARN: snsTopicArn(names.errorTopicName),
    JOBS_PROGRESS_TOPIC_ARN: snsTopicArn(names.progressTopicName),
    JOBS_PROGRESS_QUEUE_URL: sqsQueueUrl(fauxqs, names.progressQueueName),
    AUTH_ISSUER: idp,
    AUTH_JWKS_URI: `${idp}/.well-known/jwks.json`,
    AUTH_CLIENT_ID: LOCAL_CLIENT_ID,
    API_HOST: LOCAL_HOST,
    API_PORT: String(ports.api),
    API_METRICS_HOST: LOCAL_HOST,
    API_METRICS_PORT: String(ports.apiMetrics),
    WEB_HOST: LOCAL_HOST,
    WEB_PORT: String(ports.web),
    WEB_API_URL: `http://${LOCAL_HOST}:${ports.api}`,
    // the dashboard's dev sign-in asks the dev IdP through the web server (never set in AWS)
    WEB_DEV_IDP_URL: idp,
    STUB_HOST: LOCAL_HOST,
    STUB_PORT: String(ports.stub),
    STUB_OUTPUT_S3_URI: `s3://${names.outputsBucket}/async-out/`,
    STUB_FAILURE_S3_URI: `s3://${names.outputsBucket}/async-failures/`,
    // where the api leaves cancel markers (libs/contracts cancelMarkerKey)
    STUB_CANCEL_S3_URI: `s3://${names.requestsBucket}/cancel/`,
    IDP_HOST: LOCAL_HOST,
    IDP_PORT: String(ports.idp),
    WORKER_HEALTH_HOST: LOCAL_HOST,
    WORKER_HEALTH_PORT: String(ports.workerHealth),
  };
}
