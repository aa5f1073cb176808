import {
  type AppConfig,
  type AwsConfig,
  type Env,
  loadAppConfig,
  loadAwsConfig,
  nonNegativeIntFromEnv,
  parseEnv,
  portFromEnv,
  positiveIntFromEnv,
} from '#libs/config';
import { z } from 'zod';

/** How the stub plays the GPU endpoint; see apps/sagemaker-stub/README.md. */
export interface SimulationConfig {
  /** STUB_INSTANCE_CONCURRENCY: MaxConcurrentInvocationsPerInstance. */
  instanceConcurrency: number;
  /** STUB_MIN_INSTANCES: instances kept when idle; 0 = scale to zero. */
  minInstances: number;
  /** STUB_MAX_INSTANCES: scale-out ceiling. */
  maxInstances: number;
  /** STUB_BASE_INFERENCE_MS: fixed part of each invocation's time. */
  baseInferenceMs: number;
  /** STUB_MS_PER_STEP_MEGAPIXEL: time per denoising step per megapixel generated. */
  msPerStepMegapixel: number;
  /** STUB_COLD_START_MS: time for an instance to come into service. */
  coldStartMs: number;
  /** STUB_SCALE_TO_ZERO_AFTER_MS: idle time after which the endpoint scales in to minInstances. */
  scaleToZeroAfterMs: number;
  /** STUB_PROGRESS_INTERVAL_MS: how often a running async invocation publishes its step (at most). */
  progressIntervalMs: number;
}

export interface StubConfig {
  host: string;
  port: number;
  /** S3OutputPath (`s3://bucket/prefix/`): outputs are written to `<this><uuid>.out`. */
  outputS3Uri: string;
  /** S3FailurePath: failure payloads go to `<this><uuid>-error.out`. Unset: no FailureLocation, as in SageMaker. */
  failureS3Uri?: string;
  /** NotificationConfig.SuccessTopic / ErrorTopic. Unset: no notification for that outcome, as in SageMaker. */
  successTopicArn?: string;
  errorTopicArn?: string;
  /**
   * STUB_CANCEL_S3_URI: where the platform leaves cancel markers (`s3://<requests bucket>/cancel/`); the model stops
   * when `<this><inferenceId>` exists. Unset: it never looks.
   */
  cancelS3Uri?: string;
  /** STUB_CANCEL_CHECK_INTERVAL_MS: the least time between two marker checks of one running invocation. */
  cancelCheckIntervalMs: number;
  /** JOBS_PROGRESS_TOPIC_ARN: where "started" and step progress go. Unset: no progress is published. */
  progressTopicArn?: string;
  simulation: SimulationConfig;
  /** STUB_THROTTLE_ATTEMPTS: InvokeEndpointAsync calls refused with ThrottlingException per inference id first. */
  throttleAttempts: number;
  app: AppConfig;
  aws: AwsConfig;
}

const s3Uri = z.string().regex(/^s3:\/\/[^/]+(\/.*)?$/, 'must be an s3://bucket/prefix/ URI');
const arn = z.string().startsWith('arn:', 'must be an ARN');

/**
 * Every variable, with its default. Dev defaults make one SDXL job (30 steps at 1024x1024) take about 3 s, plus a
 * 2 s cold start when the endpoint is at zero instances; tests set the timings to 0.
 */
const stubEnvSchema = z.object({
  STUB_HOST: z.string().min(1).default('127.0.0.1'),
  STUB_PORT: portFromEnv.default(8080),
  STUB_OUTPUT_S3_URI: s3Uri,
  STUB_FAILURE_S3_URI: s3Uri.optional(),
  JOBS_SUCCESS_TOPIC_ARN: arn.optional(),
  JOBS_ERROR_TOPIC_ARN: arn.optional(),
  STUB_CANCEL_S3_URI: s3Uri.optional(),
  STUB_CANCEL_CHECK_INTERVAL_MS: nonNegativeIntFromEnv.default(250),
  JOBS_PROGRESS_TOPIC_ARN: arn.optional(),
  // at most 4 step messages a second per running invocation
  STUB_PROGRESS_INTERVAL_MS: positiveIntFromEnv.min(250).max(60_000).default(500),
  STUB_INSTANCE_CONCURRENCY: positiveIntFromEnv.max(1000).default(1),
  STUB_MIN_INSTANCES: nonNegativeIntFromEnv.default(0),
  STUB_MAX_INSTANCES: positiveIntFromEnv.default(1),
  STUB_BASE_INFERENCE_MS: nonNegativeIntFromEnv.default(500),
  // 500 + 80 x 30 steps x 1.048576 MP = 3017 ms for one 1024x1024 SDXL image.
  STUB_MS_PER_STEP_MEGAPIXEL: z.coerce.number().min(0).default(80),
  STUB_COLD_START_MS: nonNegativeIntFromEnv.default(2000),
  STUB_SCALE_TO_ZERO_AFTER_MS: nonNegativeIntFromEnv.default(60_000),
  STUB_THROTTLE_ATTEMPTS: nonNegativeIntFromEnv.max(100).default(0),
});

export function loadStubConfig(env: Env): StubConfig {
  const parsed = parseEnv(
    stubEnvSchema.refine((value) => value.STUB_MIN_INSTANCES <= value.STUB_MAX_INSTANCES, {
      message: 'must not exceed STUB_MAX_INSTANCES',
      path: ['STUB_MIN_INSTANCES'],
    }),
    env,
  );
  return {
    host: parsed.STUB_HOST,
    port: parsed.STUB_PORT,
    outputS3Uri: withTrailingSlash(parsed.STUB_OUTPUT_S3_URI),
    ...(parsed.STUB_FAILURE_S3_URI ? { failureS3Uri: withTrailingSlash(parsed.STUB_FAILURE_S3_URI) } : {}),
    ...(parsed.JOBS_SUCCESS_TOPIC_ARN ? { successTopicArn: parsed.JOBS_SUCCESS_TOPIC_ARN } : {}),
    ...(parsed.JOBS_ERROR_TOPIC_ARN ? { errorTopicArn: parsed.JOBS_ERROR_TOPIC_ARN } : {}),
    ...(parsed.STUB_CANCEL_S3_URI ? { cancelS3Uri: withTrailingSlash(parsed.STUB_CANCEL_S3_URI) } : {}),
    cancelCheckIntervalMs: parsed.STUB_CANCEL_CHECK_INTERVAL_MS,
    ...(parsed.JOBS_PROGRESS_TOPIC_ARN ? { progressTopicArn: parsed.JOBS_PROGRESS_TOPIC_ARN } : {}),
    simulation: {
      instanceConcurrency: parsed.STUB_INSTANCE_CONCURRENCY,
      minInstances: parsed.STUB_MIN_INSTANCES,
      maxInstances: parsed.STUB_MAX_INSTANCES,
      baseInferenceMs: parsed.STUB_BASE_INFERENCE_MS,
      msPerStepMegapixel: parsed.STUB_MS_PER_STEP_MEGAPIXEL,
      coldStartMs: parsed.STUB_COLD_START_MS,
      scaleToZeroAfterMs: parsed.STUB_SCALE_TO_ZERO_AFTER_MS,
      progressIntervalMs: parsed.STUB_PROGRESS_INTERVAL_MS,
    },
    throttleAttempts: parsed.STUB_THROTTLE_ATTEMPTS,
    app: loadAppConfig(env),
    aws: loadAwsConfig(env),
  };
}

/** `s3://bucket/prefix` → `s3://bucket/prefix/` (SageMaker puts objects under the configured path). */
export function withTrailingSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}
