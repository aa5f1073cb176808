import { describe, expect, it } from '@jest/globals';
import { deadlineFailureOf } from './deadline-failure.js';

describe(deadlineFailureOf.name, () => {
  it.each([
    ['ClientError: Request expired: request expired after 60 s in the queue (RequestTTLSeconds).', 'QUEUE_TIMEOUT'],
    [
      'ModelError: Invocation timed out: the model did not answer within 5 s (InvocationTimeoutSeconds).',
      'INFERENCE_TIMEOUT',
    ],
    ['Your invocation timed out while waiting for a response from container primary.', 'INFERENCE_TIMEOUT'],
  ])('reads %s as %s', (reason, code) => {
    expect(deadlineFailureOf(reason)).toEqual({ code, message: expect.stringContaining(reason) });
  });

  it.each([
    undefined,
    'ClientError: Received server error (500) from model with message "boom". See the SageMaker Endpoint logs.',
  ])('leaves other failures alone: %s', (reason) => {
    expect(deadlineFailureOf(reason)).toBeUndefined();
  });
});
