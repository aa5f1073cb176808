import { z } from 'zod';
import { type Env, parseEnv } from '#libs/config';

export interface TracingConfig {
  /** Where spans go (OTLP over HTTP); unset: tracing is off and costs nothing. */
  endpoint?: string;
  /** The service name on every span (OTEL_SERVICE_NAME wins over each process's own). */
  serviceName: string;
}

// The standard OpenTelemetry variables: any OTLP endpoint (the ADOT collector in AWS, Jaeger locally) just works.
const tracingEnvSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
});

export function loadTracingConfig(env: Env, service: string): TracingConfig {
  const parsed = parseEnv(tracingEnvSchema, env);
  const endpoint = parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? parsed.OTEL_EXPORTER_OTLP_ENDPOINT;
  return {
    ...(endpoint && parsed.OTEL_SDK_DISABLED !== 'true' ? { endpoint } : {}),
    serviceName: parsed.OTEL_SERVICE_NAME ?? `imggen-${service}`,
  };
}
