import { describe, expect, it } from '@jest/globals';
import { invocationTimeouts } from './invocation-timeouts.js';

describe(invocationTimeouts.name, () => {
  const now = Date.parse('2026-11-27T10:00:00.000Z');
  const deadlineIn = (seconds: number): string => new Date(now + seconds * 1000).toISOString();

  it('gives SageMaker the time left until the deadline for both the queue and the rendering', () => {
    expect(invocationTimeouts(deadlineIn(900), now)).toEqual({ requestTtlSeconds: 900, invocationTimeoutSeconds: 900 });
    expect(invocationTimeouts(deadlineIn(899.2), now).requestTtlSeconds).toBe(900);
  });

  it("stays within SageMaker's bounds: TTL 60..21600, invocation timeout 1..3600", () => {
    expect(invocationTimeouts(deadlineIn(10), now)).toEqual({ requestTtlSeconds: 60, invocationTimeoutSeconds: 10 });
    expect(invocationTimeouts(deadlineIn(-5), now)).toEqual({ requestTtlSeconds: 60, invocationTimeoutSeconds: 1 });
    expect(invocationTimeouts(deadlineIn(30_000), now)).toEqual({
      requestTtlSeconds: 21_600,
      invocationTimeoutSeconds: 3_600,
    });
  });
});
