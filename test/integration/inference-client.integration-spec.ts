import { afterEach, describe, expect, it } from '@jest/globals';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { InferenceClient, InferenceError, InvocationUnconfirmedError } from '#libs/aws';
import { JobErrorCode } from '#libs/contracts';
import { unreachableUrl } from '../support/closed-port.js';
import {
  type Misbehaviour,
  type MisbehavingSageMaker,
  startMisbehavingSageMaker,
} from '../support/misbehaving-sagemaker.js';

/**
 * The real SDK against real sockets, so the failure classification is checked on the errors the SDK really raises
 * (one attempt each: which failures the SDK itself may retry is the client configuration's business).
 */
describe('InferenceClient against a failing SageMaker runtime', () => {
  let server: MisbehavingSageMaker | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function clientFor(endpoint: string, maxAttempts = 1): InferenceClient {
    return new InferenceClient(
      new SageMakerRuntimeClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts,
        requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
      }),
    );
  }

  async function failureFrom(endpoint: string, maxAttempts = 1): Promise<unknown> {
    return clientFor(endpoint, maxAttempts)
      .invokeAsync({
        endpointName: 'imggen-sdxl-async',
        inferenceId: 'job-1',
        inputLocation: 's3://requests/requests/job-1.json',
        contentType: 'application/json',
        accept: 'application/json',
      })
      .then(
        () => new Error('the invocation succeeded'),
        (thrown: unknown) => thrown,
      );
  }

  async function failureFromServer(misbehaviour: Misbehaviour, maxAttempts = 1): Promise<unknown> {
    server = await startMisbehavingSageMaker(misbehaviour);
    return failureFrom(server.url, maxAttempts);
  }

  it('a closed port is a definite refusal: nothing was sent', async () => {
    const failure = await failureFrom(await unreachableUrl());
    expect(failure).toBeInstanceOf(InferenceError);
    expect((failure as InferenceError).code).toBe(JobErrorCode.InferenceUnavailable);
  });

  it.each<[string, Misbehaviour, string]>([
    [
      'an unknown endpoint',
      {
        kind: 'error',
        status: 400,
        errorType: 'ValidationError:http://internal.amazon.com/coral/com.amazon.coral.validate/',
        message: 'Endpoint imggen-sdxl-async of account 000000000000 not found.',
      },
      JobErrorCode.EndpointNotFound,
    ],
    [
      'a malformed request',
      { kind: 'error', status: 400, errorType: 'ValidationError', message: 'InputLocation is not valid' },
      JobErrorCode.InferenceRejected,
    ],
    [
      'throttling',
      { kind: 'error', status: 400, errorType: 'ThrottlingException', message: 'Rate exceeded' },
      JobErrorCode.InferenceUnavailable,
    ],
    [
      'a model not ready',
      { kind: 'error', status: 429, errorType: 'ModelNotReadyException', message: 'not ready' },
      JobErrorCode.InferenceUnavailable,
    ],
  ])('%s answered by SageMaker is a definite refusal', async (_label, misbehaviour, code) => {
    const failure = await failureFromServer(misbehaviour);
    expect(failure).toBeInstanceOf(InferenceError);
    expect((failure as InferenceError).code).toBe(code);
  });

  it.each<[string, Misbehaviour, string]>([
    [
      '500 InternalFailure',
      { kind: 'error', status: 500, errorType: 'InternalFailure', message: 'internal' },
      'server-error',
    ],
    [
      '503 ServiceUnavailable',
      { kind: 'error', status: 503, errorType: 'ServiceUnavailable', message: 'unavailable' },
      'server-error',
    ],
    ['a connection dropped after the request was sent', { kind: 'reset' }, 'connection-lost'],
    ['no answer within the request timeout', { kind: 'hang' }, 'timeout'],
  ])('%s leaves the outcome unknown', async (_label, misbehaviour, reason) => {
    const failure = await failureFromServer(misbehaviour);
    expect(failure).toBeInstanceOf(InvocationUnconfirmedError);
    expect((failure as InvocationUnconfirmedError).reason).toBe(reason);
    expect(server?.requests).toBe(1);
  });

  describe('with SDK retries on (maxAttempts 3)', () => {
    it.each<[string, Misbehaviour]>([
      ['a 500', { kind: 'error', status: 500, errorType: 'InternalFailure', message: 'internal' }],
      ['a 503', { kind: 'error', status: 503, errorType: 'ServiceUnavailable', message: 'unavailable' }],
      ['a connection dropped after sending', { kind: 'reset' }],
      ['no answer in time', { kind: 'hang' }],
    ])('never sends the invocation again after %s: SageMaker may have queued it', async (_label, misbehaviour) => {
      const failure = await failureFromServer(misbehaviour, 3);
      expect(failure).toBeInstanceOf(InvocationUnconfirmedError);
      expect(server?.requests).toBe(1);
    });

    it('never sends a real-time invocation again after a 500 either: it would render again', async () => {
      server = await startMisbehavingSageMaker({
        kind: 'error',
        status: 500,
        errorType: 'InternalFailure',
        message: 'internal',
      });
      const failure = await clientFor(server.url, 3)
        .invoke({
          endpointName: 'imggen-sdxl',
          inferenceId: 'job-1',
          body: Buffer.from('{}'),
          contentType: 'application/json',
          accept: 'application/json',
        })
        .catch((thrown: unknown) => thrown);
      expect(failure).toBeInstanceOf(InvocationUnconfirmedError);
      expect(server.requests).toBe(1);
    });

    it('may retry a definite refusal (nothing was queued)', async () => {
      const failure = await failureFromServer(
        { kind: 'error', status: 429, errorType: 'ModelNotReadyException', message: 'not ready' },
        3,
      );
      expect(failure).toBeInstanceOf(InferenceError);
      expect(server?.requests).toBe(3);
    });
  });
});
