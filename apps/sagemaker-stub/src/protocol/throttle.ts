import { SageMakerApiError } from './api-error.js';

/** Inference ids remembered at most; the oldest are forgotten first (a test or a dev run never comes close). */
const MAX_TRACKED = 10_000;

/**
 * STUB_THROTTLE_ATTEMPTS: the first N InvokeEndpointAsync calls for each inference id are refused the way
 * SageMaker refuses a caller over its request rate: `400` with `x-amzn-ErrorType: ThrottlingException` and
 * `{"message":"Rate exceeded"}`; the next call is taken. 0 (the default) never throttles.
 */
export class InvocationThrottle {
  private readonly refused = new Map<string, number>();

  constructor(private readonly attempts: number) {}

  /** Throws ThrottlingException while `inferenceId` has attempts left to refuse. */
  check(inferenceId: string | undefined): void {
    if (this.attempts === 0 || inferenceId === undefined) {
      return;
    }
    const count = this.refused.get(inferenceId) ?? 0;
    if (count >= this.attempts) {
      this.refused.delete(inferenceId);
      return;
    }
    this.refused.delete(inferenceId);
    this.refused.set(inferenceId, count + 1);
    if (this.refused.size > MAX_TRACKED) {
      const oldest = this.refused.keys().next().value;
      if (oldest !== undefined) {
        this.refused.delete(oldest);
      }
    }
    throw new SageMakerApiError(400, 'ThrottlingException', 'Rate exceeded');
  }
}
