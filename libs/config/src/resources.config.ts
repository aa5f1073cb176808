import { z } from 'zod';
import { type Env, parseEnv } from './env.js';

/** Names of the AWS resources the platform uses; Terraform outputs them in AWS, the provisioning script locally. */
export interface ResourcesConfig {
  jobsTable: string;
  /** Per-user state: idempotency keys, jobs in flight, monthly usage and budget holds (key `pk` + `sk`). */
  accountsTable: string;
  /** rate-limiter-flexible's counters: requests per minute and jobs per day (key `key`). */
  rateLimitsTable: string;
  requestsBucket: string;
  outputsBucket: string;
  imagesBucket: string;
  notificationsQueueUrl: string;
  deadLetterQueueUrl?: string;
  /** Webhook deliveries waiting to be sent (the worker consumes it; retries are re-sent with DelaySeconds). */
  webhookQueueUrl: string;
  webhookDeadLetterQueueUrl?: string;
  successTopicArn: string;
  errorTopicArn: string;
  /** Where model containers publish progress ("started", steps); unset: no progress is published or relayed. */
  progressTopicArn?: string;
  /** The queue subscribed to the progress topic, which the worker relays into the jobs. */
  progressQueueUrl?: string;
}

const resourcesEnvSchema = z.object({
  JOBS_TABLE: z.string().min(3),
  JOBS_ACCOUNTS_TABLE: z.string().min(3),
  JOBS_RATE_LIMITS_TABLE: z.string().min(3),
  JOBS_REQUESTS_BUCKET: z.string().min(3),
  JOBS_OUTPUTS_BUCKET: z.string().min(3),
  JOBS_IMAGES_BUCKET: z.string().min(3),
  JOBS_QUEUE_URL: z.url(),
  JOBS_DLQ_URL: z.url().optional(),
  JOBS_WEBHOOK_QUEUE_URL: z.url(),
  JOBS_WEBHOOK_DLQ_URL: z.url().optional(),
  JOBS_SUCCESS_TOPIC_ARN: z.string().startsWith('arn:'),
  JOBS_ERROR_TOPIC_ARN: z.string().startsWith('arn:'),
  JOBS_PROGRESS_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  JOBS_PROGRESS_QUEUE_URL: z.url().optional(),
});

export function loadResourcesConfig(env: Env): ResourcesConfig {
  const parsed = parseEnv(resourcesEnvSchema, env);
  return {
    jobsTable: parsed.JOBS_TABLE,
    accountsTable: parsed.JOBS_ACCOUNTS_TABLE,
    rateLimitsTable: parsed.JOBS_RATE_LIMITS_TABLE,
    requestsBucket: parsed.JOBS_REQUESTS_BUCKET,
    outputsBucket: parsed.JOBS_OUTPUTS_BUCKET,
    imagesBucket: parsed.JOBS_IMAGES_BUCKET,
    notificationsQueueUrl: parsed.JOBS_QUEUE_URL,
    ...(parsed.JOBS_DLQ_URL ? { deadLetterQueueUrl: parsed.JOBS_DLQ_URL } : {}),
    webhookQueueUrl: parsed.JOBS_WEBHOOK_QUEUE_URL,
    ...(parsed.JOBS_WEBHOOK_DLQ_URL ? { webhookDeadLetterQueueUrl: parsed.JOBS_WEBHOOK_DLQ_URL } : {}),
    successTopicArn: parsed.JOBS_SUCCESS_TOPIC_ARN,
    errorTopicArn: parsed.JOBS_ERROR_TOPIC_ARN,
    ...(parsed.JOBS_PROGRESS_TOPIC_ARN ? { progressTopicArn: parsed.JOBS_PROGRESS_TOPIC_ARN } : {}),
    ...(parsed.JOBS_PROGRESS_QUEUE_URL ? { progressQueueUrl: parsed.JOBS_PROGRESS_QUEUE_URL } : {}),
  };
}
