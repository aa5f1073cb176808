import { z } from 'zod';
import { type Env, nonNegativeIntFromEnv, parseEnv } from '#libs/config';

export interface JobWaitConfig {
  /**
   * The longest `POST /v1/jobs` holds its answer for `Prefer: wait=N`; 0 never waits. It stays under the load
   * balancer's idle timeout (the ALB's default is 60 s), which would otherwise cut the connection first.
   */
  maxSeconds: number;
}

export const DEFAULT_JOB_WAIT: JobWaitConfig = { maxSeconds: 25 };

const waitEnvSchema = z.object({
  JOBS_MAX_WAIT_SECONDS: nonNegativeIntFromEnv.max(55).default(DEFAULT_JOB_WAIT.maxSeconds),
});

export function loadJobWaitConfig(env: Env): JobWaitConfig {
  return { maxSeconds: parseEnv(waitEnvSchema, env).JOBS_MAX_WAIT_SECONDS };
}
