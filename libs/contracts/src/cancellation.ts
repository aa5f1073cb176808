/**
 * SageMaker async inference has no cancel call, so a cancel leaves a marker the model side can see: an empty object
 * at `cancel/<inferenceId>` in the requests bucket. A model container (the stub, our own) checks it before it starts
 * an invocation and between steps, and stops early with an error whose message carries CANCELLATION_TOKEN; SageMaker
 * passes that message on in the error notification's `failureReason`, which is how the worker recognises it.
 */
export const CANCEL_MARKER_PREFIX = 'cancel/';

export const CANCELLATION_TOKEN = 'imggen:inference-canceled';

export function cancelMarkerKey(inferenceId: string): string {
  return `${CANCEL_MARKER_PREFIX}${inferenceId}`;
}

/** Whether a failure reason (or failure file text) says the model stopped because of a cancel marker. */
export function isCancellationFailure(reason: string | undefined): boolean {
  return reason?.includes(CANCELLATION_TOKEN) ?? false;
}
