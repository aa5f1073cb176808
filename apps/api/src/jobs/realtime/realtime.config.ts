import { z } from 'zod';
import { type Env, parseEnv, positiveIntFromEnv } from '#libs/config';

export interface RealtimeConfig {
  /**
   * The longest an InvokeEndpoint call of a real-time model may take (capped by the job's deadline). SageMaker gives
   * a real-time container 60 s to answer and then answers ModelError itself, so the default leaves it room to.
   */
  invokeTimeoutMs: number;
  /** Real-time invocations one api instance holds at once; more wait their turn in the instance. */
  maxConcurrent: number;
  /** How long a shutting-down api waits for the real-time invocations it still holds (then the reaper has them). */
  shutdownGraceMs: number;
}

export const DEFAULT_REALTIME: RealtimeConfig = { invokeTimeoutMs: 65_000, maxConcurrent: 16, shutdownGraceMs: 20_000 };

const realtimeEnvSchema = z.object({
  SAGEMAKER_REALTIME_TIMEOUT_SECONDS: positiveIntFromEnv.max(3600).default(DEFAULT_REALTIME.invokeTimeoutMs / 1000),
  SAGEMAKER_REALTIME_MAX_CONCURRENCY: positiveIntFromEnv.max(1000).default(DEFAULT_REALTIME.maxConcurrent),
});

export function loadRealtimeConfig(env: Env): RealtimeConfig {
  const parsed = parseEnv(realtimeEnvSchema, env);
  return {
    invokeTimeoutMs: parsed.SAGEMAKER_REALTIME_TIMEOUT_SECONDS * 1000,
    maxConcurrent: parsed.SAGEMAKER_REALTIME_MAX_CONCURRENCY,
    shutdownGraceMs: DEFAULT_REALTIME.shutdownGraceMs,
  };
}
