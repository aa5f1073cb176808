import { describe, expect, it } from '@jest/globals';
import { ModelParamsError } from '#libs/models';
import { ConfigValidationError } from '#libs/config';
import { jobLifetime } from './job-lifetime.js';
import { DEFAULT_JOB_LIFETIME, loadJobLifetimeConfig } from './job-lifetime.config.js';

describe(jobLifetime.name, () => {
  const createdAt = '2026-11-27T10:00:00.000Z';

  it('gives a job without timeoutSeconds the default deadline, and RETENTION_DAYS of life', () => {
    expect(jobLifetime(DEFAULT_JOB_LIFETIME, createdAt, undefined)).toEqual({
      timeoutSeconds: 900,
      deadlineAt: '2026-11-27T10:15:00.000Z',
      expiresAt: Date.parse('2026-12-27T10:00:00.000Z') / 1000,
    });
  });

  it('takes a timeoutSeconds within the configured range', () => {
    expect(jobLifetime(DEFAULT_JOB_LIFETIME, createdAt, 30).deadlineAt).toBe('2026-11-27T10:00:30.000Z');
    expect(jobLifetime(DEFAULT_JOB_LIFETIME, createdAt, 3600).deadlineAt).toBe('2026-11-27T11:00:00.000Z');
  });

  it.each([29, 3601])('refuses %i seconds with an error naming timeoutSeconds and the range', (seconds) => {
    const attempt = (): unknown => jobLifetime(DEFAULT_JOB_LIFETIME, createdAt, seconds);
    expect(attempt).toThrow(ModelParamsError);
    expect(attempt).toThrow(/timeoutSeconds: must be from 30 to 3600 seconds/);
  });
});

describe(loadJobLifetimeConfig.name, () => {
  it('has the documented defaults', () => {
    expect(loadJobLifetimeConfig({})).toEqual(DEFAULT_JOB_LIFETIME);
  });

  it('reads every variable, fractions of days included', () => {
    expect(
      loadJobLifetimeConfig({
        JOBS_DEFAULT_TIMEOUT_SECONDS: '60',
        JOBS_MIN_TIMEOUT_SECONDS: '1',
        JOBS_MAX_TIMEOUT_SECONDS: '21600',
        RETENTION_DAYS: '0.5',
      }),
    ).toEqual({ defaultTimeoutSeconds: 60, minTimeoutSeconds: 1, maxTimeoutSeconds: 21600, retentionDays: 0.5 });
  });

  it('refuses a default outside the range, a range upside down, and more than SageMaker can queue', () => {
    expect(() => loadJobLifetimeConfig({ JOBS_DEFAULT_TIMEOUT_SECONDS: '5000' })).toThrow(
      /JOBS_DEFAULT_TIMEOUT_SECONDS/,
    );
    expect(() => loadJobLifetimeConfig({ JOBS_MIN_TIMEOUT_SECONDS: '4000' })).toThrow(/JOBS_MIN_TIMEOUT_SECONDS/);
    expect(() => loadJobLifetimeConfig({ JOBS_MAX_TIMEOUT_SECONDS: '21601' })).toThrow(ConfigValidationError);
    expect(() => loadJobLifetimeConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
  });
});
