import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ModelError } from '@aws-sdk/client-sagemaker-runtime';
import type { PinoLogger } from 'nestjs-pino';
import {
  DependencyUnavailableError,
  InferenceClient,
  InferenceError,
  InferenceErrorCode,
  InvocationUnconfirmedError,
} from '#libs/aws';
import { type Job, JobErrorCode } from '#libs/contracts';
import { JobFinalizer } from '#libs/jobs';
import { NO_COST } from '#libs/models';
import { type AutoMocked, automock, JobFactory, waitFor } from '#libs/testing';
import type { ApiConfig } from '../../config/api.config.js';
import { RealtimeInvocations } from './realtime-invocations.js';

const payload = {
  body: Buffer.from('{"prompt":"a fox"}'),
  contentType: 'application/json',
  accept: 'application/json',
};

describe(RealtimeInvocations.name, () => {
  let inference: AutoMocked<InferenceClient>;
  let finalizer: AutoMocked<JobFinalizer>;
  let logger: PinoLogger;
  let sut: RealtimeInvocations;
  let job: Job;

  const realtime = (overrides: Partial<ApiConfig['realtime']> = {}) =>
    new RealtimeInvocations(inference as unknown as InferenceClient, finalizer as unknown as JobFinalizer, logger, {
      realtime: { invokeTimeoutMs: 65_000, maxConcurrent: 2, shutdownGraceMs: 1000, ...overrides },
    });

  /** Starts the job's invocation and waits until it is finalized (or given up). */
  async function run(subject = sut): Promise<void> {
    subject.start({ job, payload });
    await waitFor(async () => (subject.pending === 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 5 });
  }

  beforeEach(() => {
    inference = automock(InferenceClient);
    finalizer = automock(JobFinalizer);
    logger = { setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as PinoLogger;
    job = JobFactory.create({ deadlineAt: new Date(Date.now() + 30_000).toISOString() });
    sut = realtime();
    finalizer.succeed.mockResolvedValue('succeeded');
    finalizer.fail.mockResolvedValue('failed');
    finalizer.timeOut.mockResolvedValue('timed-out');
  });

  it("invokes the job's endpoint within its deadline and finalizes it from the answer", async () => {
    const answer = { body: Buffer.from('{"images":[]}'), contentType: 'application/json' };
    inference.invoke.mockResolvedValue(answer);
    await run();
    const invocation = inference.invoke.mock.calls[0]![0];
    expect(invocation).toMatchObject({ endpointName: job.endpointName, inferenceId: job.jobId, body: payload.body });
    // the deadline (30 s away) is nearer than the 65 s invocation timeout
    expect(invocation.timeoutMs).toBeGreaterThan(29_000);
    expect(invocation.timeoutMs).toBeLessThanOrEqual(30_000);
    const [finalized, output, times] = finalizer.succeed.mock.calls[0]!;
    expect(finalized.timings.invokedAt).toEqual(expect.any(String));
    expect(output).toBe(answer);
    expect(times.receivedAt).toBe(finalized.timings.invokedAt);
    expect(Date.parse(times.completedAt!)).toBeGreaterThanOrEqual(Date.parse(times.receivedAt!));
  });

  it("fails a model error with MODEL_ERROR and the container's own message, charged its time", async () => {
    const modelError = new ModelError({
      message: 'Received server error (500) from primary',
      $metadata: { httpStatusCode: 424 },
      OriginalMessage: '{"message":"CUDA out of memory"}',
    });
    inference.invoke.mockRejectedValue(
      new InferenceError(InferenceErrorCode.ModelError, 'boom', { cause: modelError }),
    );
    await run();
    const [, error, times, cost] = finalizer.fail.mock.calls[0]!;
    expect(error).toEqual({ code: JobErrorCode.ModelError, message: 'CUDA out of memory' });
    expect(times.receivedAt).toEqual(expect.any(String));
    expect(cost).toBeUndefined();
  });

  it('fails a throttled invocation with INFERENCE_UNAVAILABLE, saying so, at no cost', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    inference.invoke.mockRejectedValue(
      new InferenceError(InferenceErrorCode.Unavailable, 'refused', { cause: throttled }),
    );
    await run();
    const [, error, times, cost] = finalizer.fail.mock.calls[0]!;
    expect(error.code).toBe(JobErrorCode.InferenceUnavailable);
    expect(error.message).toMatch(/SageMaker answered ThrottlingException: Rate exceeded$/);
    expect(times).toEqual({});
    expect(cost).toBe(NO_COST);
  });

  it('times the job out when the endpoint gives no answer in time', async () => {
    sut = realtime({ invokeTimeoutMs: 2000 });
    inference.invoke.mockRejectedValue(new InvocationUnconfirmedError('timeout', 'no answer'));
    await run();
    expect(inference.invoke.mock.calls[0]![0].timeoutMs).toBe(2000);
    expect(finalizer.timeOut.mock.calls[0]![1]).toEqual({
      code: JobErrorCode.InferenceTimeout,
      message: 'The real-time endpoint gave no answer within 2 s.',
    });
  });

  it.each([
    ['connection-lost', JobErrorCode.InferenceUnavailable, NO_COST],
    ['server-error', JobErrorCode.InferenceUnavailable, NO_COST],
    ['unexpected-answer', JobErrorCode.OutputUnreadable, undefined],
  ] as const)('fails a %s with %s', async (reason, code, cost) => {
    inference.invoke.mockRejectedValue(new InvocationUnconfirmedError(reason, 'lost'));
    await run();
    const [, error, , charged] = finalizer.fail.mock.calls[0]!;
    expect(error.code).toBe(code);
    expect(charged).toBe(cost);
  });

  it('tries the finalization again while a dependency is briefly away', async () => {
    inference.invoke.mockResolvedValue({ body: Buffer.from('{}') });
    finalizer.succeed
      .mockRejectedValueOnce(new DependencyUnavailableError('S3', 'down'))
      .mockResolvedValueOnce('succeeded');
    await run();
    expect(finalizer.succeed).toHaveBeenCalledTimes(2);
  });

  it('runs at most SAGEMAKER_REALTIME_MAX_CONCURRENCY invocations at once', async () => {
    let running = 0;
    let most = 0;
    inference.invoke.mockImplementation(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return { body: Buffer.from('{}') };
    });
    for (let index = 0; index < 5; index += 1) {
      sut.start({ job: JobFactory.create(), payload });
    }
    await waitFor(async () => (sut.pending === 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 5 });
    expect(inference.invoke).toHaveBeenCalledTimes(5);
    expect(most).toBe(2);
  });

  it('lets the invocations in progress finish when the api shuts down', async () => {
    let answer!: (value: { body: Buffer }) => void;
    inference.invoke.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    sut.start({ job, payload });
    await waitFor(async () => (inference.invoke.mock.calls.length > 0 ? true : undefined), { intervalMs: 5 });
    const shutdown = sut.beforeApplicationShutdown();
    answer({ body: Buffer.from('{}') });
    await shutdown;
    expect(finalizer.succeed).toHaveBeenCalledTimes(1);
  });
});
