import { z } from 'zod';
import { booleanFromEnv, type Env, parseEnv } from '#libs/config';
import type { JobMetricsOptions } from './job-metrics.js';

const metricsEnvSchema = z.object({
  /** CloudWatch embedded-metric-format lines on stdout (on in AWS, where CloudWatch Logs reads them). */
  METRICS_EMF: booleanFromEnv.default(false),
});

export function loadMetricsConfig(env: Env): JobMetricsOptions {
  return { emf: parseEnv(metricsEnvSchema, env).METRICS_EMF };
}
