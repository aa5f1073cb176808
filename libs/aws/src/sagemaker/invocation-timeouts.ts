/** SageMaker's bounds on InvokeEndpointAsync's RequestTTLSeconds (time allowed in the queue). */
export const REQUEST_TTL_SECONDS = { min: 60, max: 21_600 } as const;
/** SageMaker's bounds on InvokeEndpointAsync's InvocationTimeoutSeconds (time allowed to render). */
export const INVOCATION_TIMEOUT_SECONDS = { min: 1, max: 3_600 } as const;

export interface InvocationTimeouts {
  requestTtlSeconds: number;
  invocationTimeoutSeconds: number;
}

const clamp = (value: number, { min, max }: { min: number; max: number }): number =>
  Math.min(max, Math.max(min, value));

/**
 * What a job with this deadline asks SageMaker for: each of the queue TTL and the invocation timeout is the time
 * left until the deadline (within SageMaker's bounds), so the GPU never starts or keeps working on a job long after
 * it is due. SageMaker cannot bound the two together (queue + render), and its TTL cannot go below 60 s: the
 * worker's reaper enforces the deadline itself, and a result arriving later is discarded.
 */
export function invocationTimeouts(deadlineAt: string, nowMs: number): InvocationTimeouts {
  const remaining = Math.ceil((Date.parse(deadlineAt) - nowMs) / 1000);
  return {
    requestTtlSeconds: clamp(remaining, REQUEST_TTL_SECONDS),
    invocationTimeoutSeconds: clamp(remaining, INVOCATION_TIMEOUT_SECONDS),
  };
}
