import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LIMITS, limitsFor, loadLimitsConfig } from './limits.config.js';

describe('loadLimitsConfig', () => {
  it('limits ordinary users by default, admins not at all, and has no budget unless one is set', () => {
    const config = loadLimitsConfig({});
    expect(config.defaults).toEqual(DEFAULT_LIMITS);
    expect(config.groups).toEqual({ admin: {} });
    expect(config.platformMonthlyBudgetUsd).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadLimitsConfig({
      LIMITS_REQUESTS_PER_MINUTE: '30',
      LIMITS_JOBS_PER_DAY: '0',
      LIMITS_JOBS_IN_FLIGHT: '2',
      LIMITS_USER_MONTHLY_BUDGET_USD: '12.5',
      LIMITS_GROUPS: '{"pro":{"jobsPerDay":2000,"monthlyBudgetUsd":50}}',
      MONTHLY_BUDGET_USD: '100',
    });
    expect(config).toEqual({
      defaults: { requestsPerMinute: 30, jobsPerDay: 0, jobsInFlight: 2, monthlyBudgetUsd: 12.5 },
      groups: { pro: { jobsPerDay: 2000, monthlyBudgetUsd: 50 } },
      platformMonthlyBudgetUsd: 100,
    });
  });

  it.each([
    ['LIMITS_GROUPS', 'not json'],
    ['LIMITS_GROUPS', '{"pro":{"jobsPerHour":1}}'],
    ['LIMITS_GROUPS', '{"pro":{"jobsPerDay":-1}}'],
    ['LIMITS_JOBS_IN_FLIGHT', '1.5'],
    ['MONTHLY_BUDGET_USD', '-1'],
  ])('rejects %s=%s', (variable, value) => {
    expect(() => loadLimitsConfig({ [variable]: value })).toThrow(variable);
  });
});

describe('limitsFor', () => {
  const config = loadLimitsConfig({
    LIMITS_GROUPS:
      '{"admin":{},"pro":{"jobsPerDay":2000,"jobsInFlight":5},"team":{"jobsPerDay":800,"jobsInFlight":20}}',
  });

  it('gives users of no configured group the defaults', () => {
    expect(limitsFor(config, [])).toBe(config.defaults);
    expect(limitsFor(config, ['unknown', 'constructor'])).toBe(config.defaults);
  });

  it("gives a group's members that group's limits instead of the defaults", () => {
    expect(limitsFor(config, ['pro'])).toEqual({ jobsPerDay: 2000, jobsInFlight: 5 });
    expect(limitsFor(config, ['admin'])).toEqual({});
  });

  it('gives members of several groups the most generous value of each kind', () => {
    expect(limitsFor(config, ['pro', 'team'])).toEqual({ jobsPerDay: 2000, jobsInFlight: 20 });
    expect(limitsFor(config, ['pro', 'admin'])).toEqual({});
  });
});
