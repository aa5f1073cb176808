import { z } from 'zod';
import { booleanFromEnv, type Env, parseEnv, positiveIntFromEnv } from './env.js';

export const AWS_SERVICES = ['dynamodb', 's3', 'sqs', 'sns', 'sagemakerRuntime', 'sagemaker', 'kms'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

export interface AwsConfig {
  region: string;
  /** Per-service endpoint overrides (local emulators); empty in AWS, where the SDK defaults apply. */
  endpoints: Partial<Record<AwsService, string>>;
  /** Path-style S3 URLs (`http://host/bucket/key`): needed by emulators that have no wildcard DNS. */
  s3ForcePathStyle: boolean;
  /**
   * Static keys when AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set (the emulators accept any); otherwise the
   * SDK's default chain applies (the ECS task role in AWS).
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Every SDK call is bounded, so a dependency that accepts a connection and never answers cannot hold a caller. */
  timeouts: AwsTimeouts;
  /** How an invocation SageMaker refuses for now (ThrottlingException, model not ready) is tried again. */
  invokeRetry: InvokeRetryConfig;
}

export interface InvokeRetryConfig {
  /** Attempts in all, the first included (1: never again). */
  maxAttempts: number;
  /** The backoff before the second attempt; it doubles with each further attempt (with jitter). */
  baseDelayMs: number;
  /** Cap on one backoff. */
  maxDelayMs: number;
}

export const DEFAULT_INVOKE_RETRY: InvokeRetryConfig = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

export interface AwsTimeouts {
  /** Time to establish the TCP (and TLS) connection. */
  connectionTimeoutMs: number;
  /** Time for one HTTP attempt, from sending to the end of the answer (SQS long polls add their wait on top). */
  requestTimeoutMs: number;
}

export const DEFAULT_AWS_TIMEOUTS: AwsTimeouts = { connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 };

// The AWS SDK's own standard variables: AWS_ENDPOINT_URL for every service, AWS_ENDPOINT_URL_<SERVICE> per service.
const awsEnvSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL_SQS: z.url().optional(),
  AWS_ENDPOINT_URL_SNS: z.url().optional(),
  AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: z.url().optional(),
  /** The SageMaker control plane (DescribeEndpoint), for the endpoints' instance counts. */
  AWS_ENDPOINT_URL_SAGEMAKER: z.url().optional(),
  AWS_ENDPOINT_URL_KMS: z.url().optional(),
  AWS_S3_FORCE_PATH_STYLE: booleanFromEnv.optional(),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  AWS_CONNECTION_TIMEOUT_MS: positiveIntFromEnv.max(60_000).default(DEFAULT_AWS_TIMEOUTS.connectionTimeoutMs),
  AWS_REQUEST_TIMEOUT_MS: positiveIntFromEnv.max(300_000).default(DEFAULT_AWS_TIMEOUTS.requestTimeoutMs),
  SAGEMAKER_INVOKE_MAX_ATTEMPTS: positiveIntFromEnv.max(10).default(DEFAULT_INVOKE_RETRY.maxAttempts),
  SAGEMAKER_INVOKE_RETRY_BASE_MS: positiveIntFromEnv.max(10_000).default(DEFAULT_INVOKE_RETRY.baseDelayMs),
  SAGEMAKER_INVOKE_RETRY_MAX_MS: positiveIntFromEnv.max(60_000).default(DEFAULT_INVOKE_RETRY.maxDelayMs),
});

export function loadAwsConfig(env: Env): AwsConfig {
  const parsed = parseEnv(awsEnvSchema, env);
  const pick = (specific: string | undefined): string | undefined => specific ?? parsed.AWS_ENDPOINT_URL;
  const candidates: Record<AwsService, string | undefined> = {
    dynamodb: pick(parsed.AWS_ENDPOINT_URL_DYNAMODB),
    s3: pick(parsed.AWS_ENDPOINT_URL_S3),
    sqs: pick(parsed.AWS_ENDPOINT_URL_SQS),
    sns: pick(parsed.AWS_ENDPOINT_URL_SNS),
    sagemakerRuntime: pick(parsed.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME),
    sagemaker: pick(parsed.AWS_ENDPOINT_URL_SAGEMAKER),
    kms: pick(parsed.AWS_ENDPOINT_URL_KMS),
  };
  const endpoints: Partial<Record<AwsService, string>> = {};
  for (const service of AWS_SERVICES) {
    const endpoint = candidates[service];
    if (endpoint) {
      endpoints[service] = endpoint;
    }
  }
  const credentials =
    parsed.AWS_ACCESS_KEY_ID && parsed.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: parsed.AWS_ACCESS_KEY_ID,
          secretAccessKey: parsed.AWS_SECRET_ACCESS_KEY,
          ...(parsed.AWS_SESSION_TOKEN ? { sessionToken: parsed.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  return {
    region: parsed.AWS_REGION,
    endpoints,
    s3ForcePathStyle: parsed.AWS_S3_FORCE_PATH_STYLE ?? endpoints.s3 !== undefined,
    ...(credentials ? { credentials } : {}),
    timeouts: {
      connectionTimeoutMs: parsed.AWS_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: parsed.AWS_REQUEST_TIMEOUT_MS,
    },
    invokeRetry: {
      maxAttempts: parsed.SAGEMAKER_INVOKE_MAX_ATTEMPTS,
      baseDelayMs: parsed.SAGEMAKER_INVOKE_RETRY_BASE_MS,
      maxDelayMs: Math.max(parsed.SAGEMAKER_INVOKE_RETRY_MAX_MS, parsed.SAGEMAKER_INVOKE_RETRY_BASE_MS),
    },
  };
}
