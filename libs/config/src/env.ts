import { z } from 'zod';

/** Turns "true"/"1"/"false"/"0" (any case) into a boolean; anything else is a validation error. */
export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'TRUE', 'FALSE', 'True', 'False'])
  .transform((value) => value === 'true' || value === '1' || value.toLowerCase() === 'true');

export const portFromEnv = z.coerce.number().int().min(0).max(65535);
export const positiveIntFromEnv = z.coerce.number().int().positive();
export const nonNegativeIntFromEnv = z.coerce.number().int().min(0);

export type Env = Record<string, string | undefined>;

export class ConfigValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Parses the environment with a schema and fails fast, naming every bad variable at once. */
export function parseEnv<T extends z.ZodType>(schema: T, env: Env): z.output<T> {
  // Empty strings mean "not set", the way shells and compose files pass unset optionals.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigValidationError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}
