import { describe, expect, it } from '@jest/globals';
import { inFlightReport, jobsPerDayPolicy, requestsPolicy, windowReport } from './limit-policies.js';
import { rateLimitHeaders } from './rate-limit-headers.js';

describe(rateLimitHeaders.name, () => {
  it('writes nothing when no limit applies', () => {
    expect(rateLimitHeaders([])).toEqual({});
  });

  it('writes one policy as Structured Field items (draft-ietf-httpapi-ratelimit-headers-11)', () => {
    const policy = requestsPolicy({ requestsPerMinute: 120 })!;
    expect(rateLimitHeaders([windowReport(policy, { remaining: 119, resetSeconds: 42 })])).toEqual({
      'RateLimit-Policy': '"requests-per-minute";q=120;w=60',
      RateLimit: '"requests-per-minute";r=119;t=42',
    });
  });

  it('lists several policies in one field each, in the order they reported', () => {
    const requests = requestsPolicy({ requestsPerMinute: 5 })!;
    const daily = jobsPerDayPolicy({ jobsPerDay: 500 })!;
    expect(
      rateLimitHeaders([
        windowReport(requests, { remaining: 0, resetSeconds: 1 }),
        windowReport(daily, { remaining: 499, resetSeconds: 86_400 }),
        inFlightReport(10, 3),
      ]),
    ).toEqual({
      'RateLimit-Policy':
        '"requests-per-minute";q=5;w=60, "jobs-per-day";q=500;w=86400, "jobs-in-flight";q=10;qu="concurrent-requests"',
      RateLimit: '"requests-per-minute";r=0;t=1, "jobs-per-day";r=499;t=86400, "jobs-in-flight";r=7',
    });
  });

  it('never writes a negative or fractional integer', () => {
    expect(rateLimitHeaders([{ name: 'x', quota: 2.7, remaining: -1, resetSeconds: 0.4 }]).RateLimit).toBe(
      '"x";r=0;t=0',
    );
    expect(inFlightReport(3, 5).remaining).toBe(0);
  });

  it('escapes the name as an sf-string and refuses what one cannot hold', () => {
    expect(rateLimitHeaders([{ name: 'a"b\\c', quota: 1, remaining: 1 }]).RateLimit).toBe('"a\\"b\\\\c";r=1');
    expect(() => rateLimitHeaders([{ name: 'é', quota: 1, remaining: 1 }])).toThrow(/Structured Field/);
  });
});

describe('limit policies', () => {
  it('has a policy only for the limits the groups have; 0 is a limit', () => {
    expect(requestsPolicy({})).toBeUndefined();
    expect(jobsPerDayPolicy({ requestsPerMinute: 5 })).toBeUndefined();
    expect(requestsPolicy({ requestsPerMinute: 0 })).toEqual({
      name: 'requests-per-minute',
      points: 0,
      windowSeconds: 60,
    });
    expect(jobsPerDayPolicy({ jobsPerDay: 2 })).toEqual({ name: 'jobs-per-day', points: 2, windowSeconds: 86_400 });
  });
});
