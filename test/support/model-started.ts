import { jest } from '@jest/globals';
import { CancelWatch } from '../../apps/sagemaker-stub/src/inference/cancel-watch.js';

/**
 * Resolves once the in-process stub's model has started an invocation: it has checked for its cancel marker before
 * starting, found none, and runs its steps. A signal to wait on instead of a sleep.
 */
export function modelStarted(): Promise<void> {
  const original = CancelWatch.prototype.stopCheckFor;
  return new Promise((resolve) => {
    const spy = jest.spyOn(CancelWatch.prototype, 'stopCheckFor').mockImplementation(function (
      this: CancelWatch,
      inferenceId: string,
    ) {
      spy.mockRestore();
      const check = original.call(this, inferenceId);
      let first = true;
      return async () => {
        const stop = await check();
        if (first) {
          first = false;
          resolve();
        }
        return stop;
      };
    });
  });
}
