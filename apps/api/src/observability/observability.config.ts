import { z } from 'zod';
import { type Env, parseEnv, portFromEnv } from '#libs/config';
import { type JobMetricsOptions, loadMetricsConfig, loadTracingConfig, type TracingConfig } from '#libs/observability';

export interface ApiObservabilityConfig {
  tracing: TracingConfig;
  metrics: JobMetricsOptions;
  /** Where GET /metrics is served: its own port, which the load balancer never forwards to. */
  metricsServer: { host: string; port: number };
}

const metricsServerEnvSchema = z.object({
  API_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  // 9464: the port OpenTelemetry's Prometheus exporter uses; 0 picks a free one (tests)
  API_METRICS_PORT: portFromEnv.default(9464),
});

export function loadApiObservabilityConfig(env: Env): ApiObservabilityConfig {
  const parsed = parseEnv(metricsServerEnvSchema, env);
  return {
    tracing: loadTracingConfig(env, 'api'),
    metrics: loadMetricsConfig(env),
    metricsServer: { host: parsed.API_METRICS_HOST, port: parsed.API_METRICS_PORT },
  };
}
