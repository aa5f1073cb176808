import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { DependencyUnavailableError, isTransientAwsError, rethrowAws } from './dependency.error.js';

describe('isTransientAwsError', () => {
  it('counts network failures, 5xx and throttling as transient, a client mistake not', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const timeout = Object.assign(new Error('request timed out'), { name: 'TimeoutError' });
    const server = Object.assign(new Error('boom'), { $fault: 'server', $metadata: { httpStatusCode: 500 } });
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: {} });
    const invalid = Object.assign(new Error('bad'), {
      name: 'ValidationException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect([refused, timeout, server, throttled, invalid].map(isTransientAwsError)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(isTransientAwsError('ECONNRESET')).toBe(false);
  });

  it('recognizes a socket error made in another realm (not an instance of this realm’s Error)', () => {
    const foreign = runInNewContext("Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })") as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(isTransientAwsError(foreign)).toBe(true);
    expect(() => rethrowAws('DynamoDB', foreign)).toThrow(DependencyUnavailableError);
  });
});
