import { register } from 'node:module';
import type { Env } from '#libs/config';
import { loadTracingConfig, type TracingConfig } from './tracing.config.js';

export interface Tracing {
  config: TracingConfig;
  /** Sends the spans still buffered; call once, on the way out. */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/** Flushes and stops this process's tracing, if it was started (each app calls it on shutdown). */
export async function stopTracing(): Promise<void> {
  const tracing = started;
  started = undefined;
  await tracing?.shutdown();
}

/** Probes and scrapes every few seconds would drown the traces. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|$|\?)/;

/**
 * Starts OpenTelemetry for this process when an OTLP endpoint is configured: spans for incoming and outgoing HTTP
 * and for every AWS SDK call, batched to the endpoint. It must run before the application's modules are imported:
 * ESM modules are instrumented by a loader hook (import-in-the-middle) that sees only later imports, so each app's
 * main.ts starts tracing, then imports the rest. Without an endpoint nothing is loaded or
 * patched.
 */
export async function startTracing(env: Env, service: string): Promise<Tracing> {
  const config = loadTracingConfig(env, service);
  if (!config.endpoint) {
    return { config, shutdown: async () => {} };
  }
  // loaded only when tracing is on: a process without it carries none of the SDK
  const [
    { createAddHookMessageChannel },
    { OTLPTraceExporter },
    { AwsInstrumentation },
    { HttpInstrumentation },
    { NodeSDK },
  ] = await Promise.all([
    import('import-in-the-middle'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-aws-sdk'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/sdk-node'),
  ]);
  // intercept only the modules an instrumentation asked for, not every import
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    traceExporter: new OTLPTraceExporter({ url: tracesUrl(config.endpoint) }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      new AwsInstrumentation({ suppressInternalInstrumentation: true }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  started = { config, shutdown: () => sdk.shutdown() };
  return started;
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is the collector's base URL; the traces signal has its own path under it. */
function tracesUrl(endpoint: string): string {
  return /\/v1\/traces\/?$/.test(endpoint) ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
