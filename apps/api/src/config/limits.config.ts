import { z } from 'zod';
import { type Env, nonNegativeIntFromEnv, parseEnv } from '#libs/config';

/** One group's limits; an absent field means no limit of that kind. */
export interface GroupLimits {
  requestsPerMinute?: number;
  jobsPerDay?: number;
  jobsInFlight?: number;
  monthlyBudgetUsd?: number;
}

export interface LimitsConfig {
  /** For users in none of `groups`. */
  defaults: GroupLimits;
  /** Per identity-provider group (`cognito:groups`); replaces the defaults for its members. */
  groups: Readonly<Record<string, GroupLimits>>;
  /** The whole platform's monthly GPU spend in USD; absent: no platform budget. */
  platformMonthlyBudgetUsd?: number;
}

/** Admins have no limits unless LIMITS_GROUPS says otherwise. */
export const DEFAULT_GROUP_LIMITS: Readonly<Record<string, GroupLimits>> = { admin: {} };

export const DEFAULT_LIMITS: Required<Omit<GroupLimits, 'monthlyBudgetUsd'>> = {
  requestsPerMinute: 120,
  jobsPerDay: 500,
  jobsInFlight: 10,
};

const usd = z.coerce.number().nonnegative().max(1_000_000_000);

const groupLimitsSchema = z.strictObject({
  requestsPerMinute: z.number().int().min(0).optional(),
  jobsPerDay: z.number().int().min(0).optional(),
  jobsInFlight: z.number().int().min(0).optional(),
  monthlyBudgetUsd: z.number().nonnegative().optional(),
});

const groupsFromEnv = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"admin":{},"pro":{"jobsPerDay":2000}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), groupLimitsSchema));

const limitsEnvSchema = z.object({
  LIMITS_REQUESTS_PER_MINUTE: nonNegativeIntFromEnv.default(DEFAULT_LIMITS.requestsPerMinute),
  LIMITS_JOBS_PER_DAY: nonNegativeIntFromEnv.default(DEFAULT_LIMITS.jobsPerDay),
  LIMITS_JOBS_IN_FLIGHT: nonNegativeIntFromEnv.default(DEFAULT_LIMITS.jobsInFlight),
  LIMITS_USER_MONTHLY_BUDGET_USD: usd.optional(),
  LIMITS_GROUPS: groupsFromEnv.optional(),
  MONTHLY_BUDGET_USD: usd.optional(),
});

export function loadLimitsConfig(env: Env): LimitsConfig {
  const parsed = parseEnv(limitsEnvSchema, env);
  return {
    defaults: {
      requestsPerMinute: parsed.LIMITS_REQUESTS_PER_MINUTE,
      jobsPerDay: parsed.LIMITS_JOBS_PER_DAY,
      jobsInFlight: parsed.LIMITS_JOBS_IN_FLIGHT,
      ...(parsed.LIMITS_USER_MONTHLY_BUDGET_USD !== undefined
        ? { monthlyBudgetUsd: parsed.LIMITS_USER_MONTHLY_BUDGET_USD }
        : {}),
    },
    groups: parsed.LIMITS_GROUPS ?? DEFAULT_GROUP_LIMITS,
    ...(parsed.MONTHLY_BUDGET_USD !== undefined ? { platformMonthlyBudgetUsd: parsed.MONTHLY_BUDGET_USD } : {}),
  };
}

/**
 * The limits of a user in `groups`: the defaults when no group has limits of its own, otherwise the most generous
 * value of each kind among the user's configured groups (no limit beats any number).
 */
export function limitsFor(config: LimitsConfig, groups: readonly string[]): GroupLimits {
  const configured = groups.flatMap((group) => (Object.hasOwn(config.groups, group) ? [config.groups[group]!] : []));
  if (configured.length === 0) {
    return config.defaults;
  }
  const kinds = ['requestsPerMinute', 'jobsPerDay', 'jobsInFlight', 'monthlyBudgetUsd'] as const;
  const merged: GroupLimits = {};
  for (const kind of kinds) {
    const values = configured.map((limits) => limits[kind]);
    if (values.every((value): value is number => value !== undefined)) {
      merged[kind] = Math.max(...values);
    }
  }
  return merged;
}
