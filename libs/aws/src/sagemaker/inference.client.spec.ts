import { describe, expect, it, jest } from '@jest/globals';
import {
  InternalDependencyException,
  InternalFailure,
  ModelError,
  ModelNotReadyException,
  type SageMakerRuntimeClient,
  ServiceUnavailable,
  ValidationError,
} from '@aws-sdk/client-sagemaker-runtime';
import { JobErrorCode } from '#libs/contracts';
import { InferenceClient, InferenceError, InvocationUnconfirmedError } from './inference.client.js';

const meta = (httpStatusCode?: number) => ({ $metadata: httpStatusCode ? { httpStatusCode } : {} });

function socketError(message: string, code: string, name = 'Error'): Error {
  return Object.assign(new Error(message), { code, name });
}

/** An error the way @smithy/node-http-handler raises it (it renames ECONNRESET, EPIPE and ETIMEDOUT). */
function handlerTimeout(message: string, code?: string): Error {
  return Object.assign(new Error(message), { name: 'TimeoutError', ...(code ? { code } : {}) });
}

async function invokeFailingWith(error: Error): Promise<unknown> {
  const send = jest.fn(async () => Promise.reject(error));
  const client = new InferenceClient({ send } as unknown as SageMakerRuntimeClient);
  return client
    .invokeAsync({
      endpointName: 'imggen-sdxl',
      inferenceId: 'job-1',
      inputLocation: 's3://requests/requests/job-1.json',
      contentType: 'application/json',
      accept: 'application/json',
    })
    .then(
      () => {
        throw new Error('expected the invocation to fail');
      },
      (thrown: unknown) => thrown,
    );
}

describe('InferenceClient.invokeAsync failures', () => {
  describe('definite refusals: SageMaker did not take the job', () => {
    it.each([
      [
        'an unknown endpoint (400 ValidationError "not found")',
        new ValidationError({ message: 'Endpoint imggen-sdxl of account 1 not found.', ...meta(400) }),
        JobErrorCode.EndpointNotFound,
      ],
      [
        'any other 400 ValidationError',
        new ValidationError({ message: 'Value at InputLocation failed to satisfy constraint', ...meta(400) }),
        JobErrorCode.InferenceRejected,
      ],
      [
        'an access error (403)',
        Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $fault: 'client', ...meta(403) }),
        JobErrorCode.InferenceRejected,
      ],
      [
        'ModelNotReady (429)',
        new ModelNotReadyException({ message: 'model not ready', ...meta(429) }),
        JobErrorCode.InferenceUnavailable,
      ],
      [
        'throttling',
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', ...meta(400) }),
        JobErrorCode.InferenceUnavailable,
      ],
      [
        'connection refused',
        socketError('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'),
        JobErrorCode.InferenceUnavailable,
      ],
      [
        'connection refused, as the SDK wraps an error from another realm',
        new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'),
        JobErrorCode.InferenceUnavailable,
      ],
      [
        'an unknown host',
        socketError('getaddrinfo ENOTFOUND runtime.sagemaker', 'ENOTFOUND'),
        JobErrorCode.InferenceUnavailable,
      ],
      [
        'a connection that was never established (connectionTimeout)',
        handlerTimeout(
          '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 1000 ms.',
        ),
        JobErrorCode.InferenceUnavailable,
      ],
      ['a model error (real-time only)', new ModelError({ message: 'boom', ...meta(424) }), JobErrorCode.ModelError],
    ])('%s is an InferenceError with its code', async (_label, error, code) => {
      const failure = await invokeFailingWith(error);
      expect(failure).toBeInstanceOf(InferenceError);
      expect((failure as InferenceError).code).toBe(code);
      expect((failure as InferenceError).cause).toBe(error);
    });
  });

  describe('unknown outcomes: SageMaker may have taken the job', () => {
    it.each([
      ['500 InternalFailure', new InternalFailure({ message: 'internal', ...meta(500) }), 'server-error'],
      ['503 ServiceUnavailable', new ServiceUnavailable({ message: 'unavailable', ...meta(503) }), 'server-error'],
      [
        '530 InternalDependencyException',
        new InternalDependencyException({ message: 'dependency', ...meta(530) }),
        'server-error',
      ],
      ['a server fault without a status', new InternalFailure({ message: 'internal', ...meta() }), 'server-error'],
      [
        'the requestTimeout',
        handlerTimeout('a request has exceeded the configured 1000 ms requestTimeout.', 'ETIMEDOUT'),
        'timeout',
      ],
      ['a socket timeout', handlerTimeout('the request socket timed out after 1000 ms of inactivity'), 'timeout'],
      ['an abort', Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), 'timeout'],
      ['a reset after sending', handlerTimeout('socket hang up', 'ECONNRESET'), 'connection-lost'],
      [
        'a reset, as the SDK wraps an error from another realm',
        new Error('AWS SDK error wrapper for TimeoutError: socket hang up'),
        'connection-lost',
      ],
      ['a broken pipe', handlerTimeout('write EPIPE', 'EPIPE'), 'connection-lost'],
      ['another socket error', socketError('read ECONNABORTED', 'ECONNABORTED'), 'connection-lost'],
      ['an error nobody knows', new Error('something odd'), 'unknown'],
      [
        'a 2xx the SDK could not read',
        Object.assign(new SyntaxError('Unexpected token'), { $metadata: { httpStatusCode: 202 } }),
        'unexpected-answer',
      ],
    ])('%s is an InvocationUnconfirmedError', async (_label, error, reason) => {
      const failure = await invokeFailingWith(error);
      expect(failure).toBeInstanceOf(InvocationUnconfirmedError);
      expect((failure as InvocationUnconfirmedError).reason).toBe(reason);
    });

    it('a 202 without an OutputLocation is not a confirmation', async () => {
      const send = jest.fn(async () => ({ InferenceId: 'job-1', $metadata: { httpStatusCode: 202 } }));
      const client = new InferenceClient({ send } as unknown as SageMakerRuntimeClient);
      const failure = await client
        .invokeAsync({
          endpointName: 'imggen-sdxl',
          inferenceId: 'job-1',
          inputLocation: 's3://requests/x.json',
          contentType: 'application/json',
          accept: 'application/json',
        })
        .catch((thrown: unknown) => thrown);
      expect(failure).toBeInstanceOf(InvocationUnconfirmedError);
      expect((failure as InvocationUnconfirmedError).reason).toBe('unexpected-answer');
    });
  });
});
