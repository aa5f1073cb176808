import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import { AwsClients, awsAdapterFactories, InferenceError } from '#libs/aws';
import { loadPlatformConfig } from '#libs/config';
import { JobErrorCode } from '#libs/contracts';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * The api's InferenceClient, built as the api builds it, against the stub answering ThrottlingException
 * (400, x-amzn-ErrorType) to each inference id's first two InvokeEndpointAsync calls.
 */
describe('throttled invocations (SageMaker stub with STUB_THROTTLE_ATTEMPTS=2)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ STUB_THROTTLE_ATTEMPTS: '2' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function invoke(retry: Record<string, string>) {
    const config = loadPlatformConfig({ ...stack.env, ...retry });
    const client = awsAdapterFactories.inferenceClient(config, new AwsClients(config.aws));
    const jobId = ulid();
    return client.invokeAsync({
      endpointName: 'imggen-sdxl-async',
      inferenceId: jobId,
      inputLocation: `s3://${config.resources.requestsBucket}/requests/${jobId}.json`,
      contentType: 'application/json',
      accept: 'application/json;png',
    });
  }

  it('is tried again with backoff until SageMaker takes it', async () => {
    const started = Date.now();
    const accepted = await invoke({
      SAGEMAKER_INVOKE_MAX_ATTEMPTS: '3',
      SAGEMAKER_INVOKE_RETRY_BASE_MS: '200',
      SAGEMAKER_INVOKE_RETRY_MAX_MS: '1000',
    });
    expect(accepted.outputLocation).toMatch(/^s3:\/\//);
    // equal jitter: at least half of each step (200 ms, then 400 ms) was waited
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('fails as INFERENCE_UNAVAILABLE once the attempts are spent', async () => {
    const failure = await invoke({ SAGEMAKER_INVOKE_MAX_ATTEMPTS: '2', SAGEMAKER_INVOKE_RETRY_BASE_MS: '10' }).then(
      () => new Error('taken'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InferenceError);
    expect((failure as InferenceError).code).toBe(JobErrorCode.InferenceUnavailable);
  });
});
