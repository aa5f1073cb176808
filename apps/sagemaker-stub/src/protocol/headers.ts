import type { IncomingHttpHeaders } from 'node:http';
import { validationError } from './api-error.js';

/** InvokeEndpointAsync request headers (reference/aws.md section 1.2), as Node gives them: lower case. */
export const ASYNC_HEADERS = {
  contentType: 'x-amzn-sagemaker-content-type',
  accept: 'x-amzn-sagemaker-accept',
  customAttributes: 'x-amzn-sagemaker-custom-attributes',
  inferenceId: 'x-amzn-sagemaker-inference-id',
  inputLocation: 'x-amzn-sagemaker-inputlocation',
  requestTtlSeconds: 'x-amzn-sagemaker-requestttlseconds',
  invocationTimeoutSeconds: 'x-amzn-sagemaker-invocationtimeoutseconds',
} as const;

export const RESPONSE_HEADERS = {
  outputLocation: 'X-Amzn-SageMaker-OutputLocation',
  failureLocation: 'X-Amzn-SageMaker-FailureLocation',
  requestId: 'x-amzn-RequestId',
  invokedVariant: 'x-Amzn-Invoked-Production-Variant',
} as const;

export const DEFAULT_REQUEST_TTL_SECONDS = 21_600;
export const DEFAULT_INVOCATION_TIMEOUT_SECONDS = 900;
/** Inline Body of InvokeEndpointAsync (2026 API). */
export const MAX_ASYNC_INLINE_BYTES = 128_000;
/** InvokeEndpoint's BodyBlob. */
export const MAX_REALTIME_BODY_BYTES = 6_291_456;

// InferenceId: 1-64 characters, `^\A\S[\p{Print}]*\z$`.
const INFERENCE_ID_PATTERN = /^\S[^\p{Cc}]*$/u;
const INPUT_LOCATION_PATTERN = /^(https|s3):\/\/([^/]+)\/?(.*)$/;

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === '' ? undefined : single;
}

/** AWS's wording for a failed constraint, e.g. `1 validation error detected: Value 'x' at 'inferenceId' ...`. */
function constraintError(value: string, member: string, constraint: string): Error {
  return validationError(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

export function parseInferenceId(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value.length > 64) {
    throw constraintError(value, 'inferenceId', 'Member must have length less than or equal to 64');
  }
  if (!INFERENCE_ID_PATTERN.test(value)) {
    throw constraintError(
      value,
      'inferenceId',
      'Member must satisfy regular expression pattern: \\A\\S[\\p{Print}]*\\z',
    );
  }
  return value;
}

function parseIntHeader(value: string | undefined, member: string, min: number, max: number, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) {
    throw constraintError(value, member, 'Member must be an integer');
  }
  if (parsed < min || parsed > max) {
    throw constraintError(
      value,
      member,
      `Member must have value ${parsed < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
  return parsed;
}

export interface AsyncHeaders {
  inputLocation?: string;
  inferenceId?: string;
  contentType?: string;
  accept?: string;
  customAttributes?: string;
  requestTtlSeconds: number;
  invocationTimeoutSeconds: number;
}

/** Reads and checks the InvokeEndpointAsync headers; throws ValidationError like SageMaker does. */
export function parseAsyncHeaders(headers: IncomingHttpHeaders): AsyncHeaders {
  const inputLocation = header(headers, ASYNC_HEADERS.inputLocation);
  if (inputLocation !== undefined && (inputLocation.length > 1024 || !INPUT_LOCATION_PATTERN.test(inputLocation))) {
    throw constraintError(
      inputLocation,
      'inputLocation',
      'Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$',
    );
  }
  const inferenceId = parseInferenceId(header(headers, ASYNC_HEADERS.inferenceId));
  const contentType = header(headers, ASYNC_HEADERS.contentType);
  const accept = header(headers, ASYNC_HEADERS.accept);
  const customAttributes = header(headers, ASYNC_HEADERS.customAttributes);
  return {
    ...(inputLocation !== undefined ? { inputLocation } : {}),
    ...(inferenceId !== undefined ? { inferenceId } : {}),
    ...(contentType !== undefined ? { contentType } : {}),
    ...(accept !== undefined ? { accept } : {}),
    ...(customAttributes !== undefined ? { customAttributes } : {}),
    requestTtlSeconds: parseIntHeader(
      header(headers, ASYNC_HEADERS.requestTtlSeconds),
      'requestTTLSeconds',
      60,
      21_600,
      DEFAULT_REQUEST_TTL_SECONDS,
    ),
    invocationTimeoutSeconds: parseIntHeader(
      header(headers, ASYNC_HEADERS.invocationTimeoutSeconds),
      'invocationTimeoutSeconds',
      1,
      3_600,
      DEFAULT_INVOCATION_TIMEOUT_SECONDS,
    ),
  };
}
