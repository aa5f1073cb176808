/** A dependency (DynamoDB, S3, SQS, SageMaker) could not be reached or failed on its side: worth a retry later. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

interface SdkErrorShape {
  name?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  code?: string;
}

/** Network failures and 5xx/throttling answers: the caller did nothing wrong and may retry. */
export function isTransientAwsError(error: unknown): boolean {
  // not `instanceof Error`: a socket error from another realm (Node's own, when the SDK runs in a vm context as
  // under jest) is not an instance of this realm's Error
  if (typeof error !== 'object' || error === null || typeof (error as { message?: unknown }).message !== 'string') {
    return false;
  }
  const sdk = error as Error & SdkErrorShape;
  if (sdk.$fault === 'server') {
    return true;
  }
  const status = sdk.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) {
    return true;
  }
  const transientNames = [
    'ThrottlingException',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'TimeoutError',
  ];
  if (transientNames.includes(sdk.name)) {
    return true;
  }
  // No HTTP answer at all: connection refused/reset, DNS, socket timeout.
  return (
    status === undefined &&
    (sdk.code !== undefined || /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up/i.test(sdk.message))
  );
}

/** Rethrows transient SDK errors as DependencyUnavailableError and everything else unchanged. */
export function rethrowAws(dependency: string, error: unknown): never {
  if (isTransientAwsError(error)) {
    throw new DependencyUnavailableError(dependency, `${dependency} is unavailable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  throw error;
}
