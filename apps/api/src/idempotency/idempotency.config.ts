import { z } from 'zod';
import { type Env, parseEnv, positiveIntFromEnv } from '#libs/config';

export interface IdempotencyConfig {
  /** How long a completed request's answer is replayed (seconds). */
  keyTtlSeconds: number;
  /**
   * How long a claim holds a key while its request runs (seconds). A request whose process dies before it answers
   * frees the key after this; it must outlast the slowest submission (three attempts of three AWS calls).
   */
  claimSeconds: number;
  /** How long a request with the key of one still running waits for that one's answer before a 409 (ms). */
  waitMs: number;
}

export const DEFAULT_IDEMPOTENCY: IdempotencyConfig = { keyTtlSeconds: 86_400, claimSeconds: 300, waitMs: 3_000 };

const idempotencyEnvSchema = z.object({
  IDEMPOTENCY_KEY_TTL_SECONDS: positiveIntFromEnv.max(7 * 86_400).default(DEFAULT_IDEMPOTENCY.keyTtlSeconds),
  IDEMPOTENCY_CLAIM_SECONDS: positiveIntFromEnv.max(3_600).default(DEFAULT_IDEMPOTENCY.claimSeconds),
  IDEMPOTENCY_WAIT_MS: positiveIntFromEnv.max(30_000).default(DEFAULT_IDEMPOTENCY.waitMs),
});

export function loadIdempotencyConfig(env: Env): IdempotencyConfig {
  const parsed = parseEnv(idempotencyEnvSchema, env);
  return {
    keyTtlSeconds: parsed.IDEMPOTENCY_KEY_TTL_SECONDS,
    claimSeconds: parsed.IDEMPOTENCY_CLAIM_SECONDS,
    waitMs: parsed.IDEMPOTENCY_WAIT_MS,
  };
}
