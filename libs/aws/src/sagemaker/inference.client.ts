import {
  InvokeEndpointAsyncCommand,
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { JobErrorCode } from '#libs/contracts';

/** How an invocation failed, as job error codes (the catalogue in libs/contracts). */
export const InferenceErrorCode = {
  /** The endpoint does not exist (or is not an async endpoint): a configuration problem on our side. */
  EndpointNotFound: JobErrorCode.EndpointNotFound,
  /** SageMaker refused the request as invalid. */
  Rejected: JobErrorCode.InferenceRejected,
  /** SageMaker could not be reached or failed on its side: try again later. */
  Unavailable: JobErrorCode.InferenceUnavailable,
  /** The model container answered with an error (real-time invocations only). */
  ModelError: JobErrorCode.ModelError,
} as const;
export type InferenceErrorCode = (typeof InferenceErrorCode)[keyof typeof InferenceErrorCode];

export class InferenceError extends Error {
  constructor(
    readonly code: InferenceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InferenceError';
  }
}

export interface AsyncInvocation {
  endpointName: string;
  /** Our job id: the notification carries it back, so no lookup is needed to find the job. */
  inferenceId: string;
  inputLocation: string;
  contentType: string;
  accept: string;
  invocationTimeoutSeconds?: number;
  requestTtlSeconds?: number;
}

export interface AsyncInvocationAccepted {
  inferenceId: string;
  outputLocation: string;
  failureLocation?: string;
}

export interface RealtimeInvocation {
  endpointName: string;
  inferenceId: string;
  body: Buffer;
  contentType: string;
  accept: string;
}

export interface RealtimeInvocationResult {
  body: Buffer;
  contentType?: string;
}

/** SageMaker runtime: InvokeEndpointAsync (the normal path) and InvokeEndpoint (real-time mode). */
export class InferenceClient {
  constructor(private readonly client: SageMakerRuntimeClient) {}

  async invokeAsync(invocation: AsyncInvocation): Promise<AsyncInvocationAccepted> {
    try {
      const result = await this.client.send(
        new InvokeEndpointAsyncCommand({
          EndpointName: invocation.endpointName,
          InferenceId: invocation.inferenceId,
          InputLocation: invocation.inputLocation,
          ContentType: invocation.contentType,
          Accept: invocation.accept,
          ...(invocation.invocationTimeoutSeconds
            ? { InvocationTimeoutSeconds: invocation.invocationTimeoutSeconds }
            : {}),
          ...(invocation.requestTtlSeconds ? { RequestTTLSeconds: invocation.requestTtlSeconds } : {}),
        }),
      );
      if (!result.OutputLocation) {
        throw new InferenceError(
          InferenceErrorCode.Unavailable,
          'SageMaker accepted the request without an OutputLocation',
        );
      }
      return {
        inferenceId: result.InferenceId ?? invocation.inferenceId,
        outputLocation: result.OutputLocation,
        ...(result.FailureLocation ? { failureLocation: result.FailureLocation } : {}),
      };
    } catch (error) {
      throw toInferenceError(invocation.endpointName, error);
    }
  }

  async invoke(invocation: RealtimeInvocation): Promise<RealtimeInvocationResult> {
    try {
      const result = await this.client.send(
        new InvokeEndpointCommand({
          EndpointName: invocation.endpointName,
          InferenceId: invocation.inferenceId,
          Body: invocation.body,
          ContentType: invocation.contentType,
          Accept: invocation.accept,
        }),
      );
      const body = Buffer.from(result.Body ?? new Uint8Array());
      return result.ContentType ? { body, contentType: result.ContentType } : { body };
    } catch (error) {
      throw toInferenceError(invocation.endpointName, error);
    }
  }
}

function toInferenceError(endpointName: string, error: unknown): InferenceError {
  if (error instanceof InferenceError) {
    return error;
  }
  const sdk = error as Error & { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const message = error instanceof Error ? error.message : String(error);
  if (sdk.name === 'ValidationError' && /not found/i.test(message)) {
    return new InferenceError(InferenceErrorCode.EndpointNotFound, `endpoint ${endpointName} not found: ${message}`, {
      cause: error,
    });
  }
  if (sdk.name === 'ModelError') {
    return new InferenceError(InferenceErrorCode.ModelError, message, { cause: error });
  }
  if (sdk.$fault === 'client' && sdk.name !== 'ModelNotReadyException') {
    return new InferenceError(InferenceErrorCode.Rejected, message, { cause: error });
  }
  return new InferenceError(
    InferenceErrorCode.Unavailable,
    `SageMaker endpoint ${endpointName} unavailable: ${message}`,
    {
      cause: error,
    },
  );
}
