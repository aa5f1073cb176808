import { z } from 'zod';
import { type Env, parseEnv, positiveIntFromEnv } from '#libs/config';

export interface ProgressConfig {
  /** A queued job's position counts at most this many jobs ahead (DynamoDB reads every item it counts). */
  positionCap: number;
  /** How long DescribeEndpoint's instance count and a model's averages are reused by an api instance. */
  cacheMs: number;
}

export const DEFAULT_PROGRESS: ProgressConfig = { positionCap: 500, cacheMs: 5000 };

const progressEnvSchema = z.object({
  PROGRESS_POSITION_CAP: positiveIntFromEnv.max(10_000).default(DEFAULT_PROGRESS.positionCap),
  PROGRESS_CACHE_MS: positiveIntFromEnv.max(300_000).default(DEFAULT_PROGRESS.cacheMs),
});

export function loadProgressConfig(env: Env): ProgressConfig {
  const parsed = parseEnv(progressEnvSchema, env);
  return { positionCap: parsed.PROGRESS_POSITION_CAP, cacheMs: parsed.PROGRESS_CACHE_MS };
}
