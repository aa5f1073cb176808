import {
  InvokeEndpointAsyncCommand,
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { JobErrorCode } from '#libs/contracts';

/** How SageMaker refused an invocation, as job error codes (the catalogue in libs/contracts). */
export const InferenceErrorCode = {
  /** The endpoint does not exist (or is not an async endpoint): a configuration problem on our side. */
  EndpointNotFound: JobErrorCode.EndpointNotFound,
  /** SageMaker refused the request as invalid (or our credentials): retrying the same request cannot help. */
  Rejected: JobErrorCode.InferenceRejected,
  /** SageMaker could not take it now (throttled, model not ready, not reachable at all): try again later. */
  Unavailable: JobErrorCode.InferenceUnavailable,
  /** The model container answered with an error (real-time invocations only). */
  ModelError: JobErrorCode.ModelError,
} as const;
export type InferenceErrorCode = (typeof InferenceErrorCode)[keyof typeof InferenceErrorCode];

/** A definite refusal: SageMaker did not take the invocation, so nothing will render. */
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

/** Why an invocation's outcome is unknown. */
export type UnconfirmedReason = 'timeout' | 'connection-lost' | 'server-error' | 'unexpected-answer' | 'unknown';

/**
 * No definite answer: the request was (or may have been) sent, then it timed out, the connection was lost, or
 * SageMaker answered a server error. SageMaker may have queued the job anyway, so sending it again could render it
 * twice; the job's notification (or its deadline) settles it.
 */
export class InvocationUnconfirmedError extends Error {
  constructor(
    readonly reason: UnconfirmedReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InvocationUnconfirmedError';
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
  /** Passed to the model container as X-Amzn-SageMaker-Custom-Attributes (the job's traceparent). */
  customAttributes?: string;
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
  /** The whole call's bound, throttling retries included; past it the outcome is unknown ('timeout'). */
  timeoutMs?: number;
  /** Passed to the model container as X-Amzn-SageMaker-Custom-Attributes (the job's traceparent). */
  customAttributes?: string;
}

export interface RealtimeInvocationResult {
  body: Buffer;
  contentType?: string;
}

/** SageMaker runtime: InvokeEndpointAsync (the normal path) and InvokeEndpoint (real-time mode). */
export class InferenceClient {
  constructor(private readonly client: SageMakerRuntimeClient) {}

  /**
   * Throws InferenceError when SageMaker definitely did not take the invocation, InvocationUnconfirmedError when
   * it may have.
   */
  async invokeAsync(invocation: AsyncInvocation): Promise<AsyncInvocationAccepted> {
    const command = new InvokeEndpointAsyncCommand({
      EndpointName: invocation.endpointName,
      InferenceId: invocation.inferenceId,
      InputLocation: invocation.inputLocation,
      ContentType: invocation.contentType,
      Accept: invocation.accept,
      ...(invocation.invocationTimeoutSeconds ? { InvocationTimeoutSeconds: invocation.invocationTimeoutSeconds } : {}),
      ...(invocation.requestTtlSeconds ? { RequestTTLSeconds: invocation.requestTtlSeconds } : {}),
      ...(invocation.customAttributes ? { CustomAttributes: invocation.customAttributes } : {}),
    });
    neverRetryWhenUnconfirmed(command, invocation.endpointName);
    try {
      const result = await this.client.send(command);
      if (!result.OutputLocation) {
        throw new InvocationUnconfirmedError('unexpected-answer', 'SageMaker answered without an OutputLocation');
      }
      return {
        inferenceId: result.InferenceId ?? invocation.inferenceId,
        outputLocation: result.OutputLocation,
        ...(result.FailureLocation ? { failureLocation: result.FailureLocation } : {}),
      };
    } catch (error) {
      throw classifyInvocationFailure(invocation.endpointName, error instanceof NotRetried ? error.original : error);
    }
  }

  /** Real time: the model renders while the request is open, so a retry after an unknown outcome renders again. */
  async invoke(invocation: RealtimeInvocation): Promise<RealtimeInvocationResult> {
    const command = new InvokeEndpointCommand({
      EndpointName: invocation.endpointName,
      InferenceId: invocation.inferenceId,
      Body: invocation.body,
      ContentType: invocation.contentType,
      Accept: invocation.accept,
      ...(invocation.customAttributes ? { CustomAttributes: invocation.customAttributes } : {}),
    });
    neverRetryWhenUnconfirmed(command, invocation.endpointName);
    const { timeoutMs } = invocation;
    try {
      // requestTimeout bounds each attempt (the client's own is for quick calls), the signal all of them together
      const result = await this.client.send(
        command,
        timeoutMs ? { requestTimeout: timeoutMs, abortSignal: AbortSignal.timeout(timeoutMs) } : {},
      );
      const body = Buffer.from(result.Body ?? new Uint8Array());
      return result.ContentType ? { body, contentType: result.ContentType } : { body };
    } catch (error) {
      throw classifyInvocationFailure(invocation.endpointName, error instanceof NotRetried ? error.original : error);
    }
  }
}

/** Socket errors raised before a connection exists: the request was never sent. */
const NOT_CONNECTED_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
/** Answers by which SageMaker says it cannot take the request now (it did not queue it). */
const REFUSED_FOR_NOW = [
  'ModelNotReadyException',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
];

interface SdkErrorShape {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/**
 * Sorts a failed invocation into a definite refusal (InferenceError) or an unknown outcome
 * (InvocationUnconfirmedError). Anything not known to be a refusal counts as unknown: failing a job SageMaker took
 * would let the client submit it again and render it twice.
 */
export function classifyInvocationFailure(
  endpointName: string,
  error: unknown,
): InferenceError | InvocationUnconfirmedError {
  if (error instanceof InferenceError || error instanceof InvocationUnconfirmedError) {
    return error;
  }
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error };
  const status = sdk.$metadata?.httpStatusCode;
  const name = sdk.name ?? '';
  const code = sdk.code ?? socketErrorCodeIn(message);
  if ((status !== undefined && status >= 500) || sdk.$fault === 'server') {
    return new InvocationUnconfirmedError(
      'server-error',
      `SageMaker answered ${status} (${name}): ${message}`,
      options,
    );
  }
  if (status === 429 || REFUSED_FOR_NOW.includes(name)) {
    return new InferenceError(InferenceErrorCode.Unavailable, `endpoint ${endpointName} refused: ${message}`, options);
  }
  if (name === 'ValidationError' && /not found/i.test(message)) {
    return new InferenceError(
      InferenceErrorCode.EndpointNotFound,
      `endpoint ${endpointName} not found: ${message}`,
      options,
    );
  }
  if (name === 'ModelError') {
    return new InferenceError(InferenceErrorCode.ModelError, message, options);
  }
  if ((status !== undefined && status >= 400) || sdk.$fault === 'client') {
    return new InferenceError(InferenceErrorCode.Rejected, `endpoint ${endpointName} rejected: ${message}`, options);
  }
  if (status === undefined && code !== undefined && NOT_CONNECTED_CODES.includes(code)) {
    return new InferenceError(InferenceErrorCode.Unavailable, `SageMaker not reachable: ${message}`, options);
  }
  // the SDK's connectionTimeout: no connection was ever made (it has no code; its text is all that tells)
  if (name === 'TimeoutError' && /did not establish a connection/i.test(message)) {
    return new InferenceError(InferenceErrorCode.Unavailable, `SageMaker not reachable: ${message}`, options);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    // the SDK names these TimeoutError too; the request may well have been sent
    return new InvocationUnconfirmedError('connection-lost', `connection to SageMaker lost: ${message}`, options);
  }
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT') {
    return new InvocationUnconfirmedError('timeout', `no answer from SageMaker in time: ${message}`, options);
  }
  if (status !== undefined) {
    return new InvocationUnconfirmedError('unexpected-answer', `unexpected answer from SageMaker: ${message}`, options);
  }
  if (code !== undefined) {
    return new InvocationUnconfirmedError('connection-lost', `connection to SageMaker lost: ${message}`, options);
  }
  return new InvocationUnconfirmedError('unknown', `invocation failed: ${message}`, options);
}

/**
 * The socket error code in an error's text. The SDK's retry layer replaces an error from another realm (Node's own
 * socket errors, when the SDK runs in a vm context as under jest) by a plain Error that keeps only the text:
 * "AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9".
 */
function socketErrorCodeIn(message: string): string | undefined {
  if (/socket hang up/i.test(message)) {
    return 'ECONNRESET';
  }
  return /\b(E[A-Z]{4,})\b/.exec(message)?.[1];
}

/**
 * Carries an unknown-outcome failure out of the SDK's retry loop. The original is not its `cause`: the SDK looks
 * through `cause` to decide whether to retry.
 */
class NotRetried extends Error {
  constructor(readonly original: unknown) {
    super('not retried: the invocation may have been taken');
    this.name = 'NotRetried';
  }
}

/**
 * Whatever the client's `maxAttempts`, the SDK must not send an invocation again after an unknown outcome (a 5xx,
 * a timeout, a connection lost after sending): SageMaker does not deduplicate by InferenceId, so the retry could
 * render the job twice. This middleware sits inside the SDK's retry loop, around the deserializer, and hands such a
 * failure on as an error the retry strategy counts as a non-retryable client error. Definite refusals (connection
 * refused, throttling, model not ready) pass unchanged and may still be retried.
 */
function neverRetryWhenUnconfirmed(
  command: InvokeEndpointAsyncCommand | InvokeEndpointCommand,
  endpointName: string,
): void {
  // the two commands' stacks differ only in their input and output types, which this middleware never looks at
  (command.middlewareStack as InvokeEndpointAsyncCommand['middlewareStack']).add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw classifyInvocationFailure(endpointName, error) instanceof InvocationUnconfirmedError
          ? new NotRetried(error)
          : error;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'imggenNeverRetryWhenUnconfirmed' },
  );
}
