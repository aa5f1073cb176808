import { InvocationThrottle } from './throttle.js';
import { SageMakerApiError } from './api-error.js';

describe(InvocationThrottle.name, () => {
  function outcomes(throttle: InvocationThrottle, inferenceId: string, calls: number): string[] {
    return Array.from({ length: calls }, () => {
      try {
        throttle.check(inferenceId);
        return 'taken';
      } catch (error) {
        expect(error).toBeInstanceOf(SageMakerApiError);
        const apiError = error as SageMakerApiError;
        return `${apiError.statusCode} ${apiError.errorType}`;
      }
    });
  }

  it("refuses each inference id's first N calls with 400 ThrottlingException, then takes it", () => {
    const throttle = new InvocationThrottle(2);
    expect(outcomes(throttle, 'job-1', 3)).toEqual(['400 ThrottlingException', '400 ThrottlingException', 'taken']);
    expect(outcomes(throttle, 'job-2', 1)).toEqual(['400 ThrottlingException']);
  });

  it('never throttles at 0, nor a call without an inference id', () => {
    expect(outcomes(new InvocationThrottle(0), 'job-1', 2)).toEqual(['taken', 'taken']);
    expect(() => new InvocationThrottle(3).check(undefined)).not.toThrow();
  });
});
